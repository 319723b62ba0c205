package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Semi-supervised EM: a row whose component is known (its label) has its responsibility fixed
 * to that component, so it adds its statistics there alone and contributes
 * {@code log w_c + log N(x | mu_c, S_c)} to the objective; unlabelled rows take the ordinary
 * E-step. With every row labelled, one M-step gives each class's own estimates; with none, this
 * is plain EM.
 *
 * <p>The labelled rows of each component go to the likelihood kernel together under a
 * one-component mixture, so the native backends and the missing-value path serve them too.
 */
final class KnownLabels {

    private KnownLabels() {
    }

    /** The rows of a block grouped by label (unlabelled rows under {@link DataBlock#UNLABELLED}). */
    static Map<Integer, int[]> groups(DataBlock block, int k) {
        Map<Integer, List<Integer>> byLabel = new TreeMap<>();
        for (int i = 0; i < block.rows(); i++) {
            int label = block.label(i);
            DataBlock.requireComponent(label, k);
            byLabel.computeIfAbsent(label, l -> new ArrayList<>()).add(i);
        }
        Map<Integer, int[]> out = new TreeMap<>();
        byLabel.forEach((label, rows) -> out.put(label, rows.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** Component c alone, with weight 1. */
    static Mixture component(Mixture model, int c) {
        return new Mixture(model.covarianceType(), new double[] {1}, new double[][] {model.mean(c)},
                new double[][] {model.covariance(c)});
    }

    /**
     * Adds the statistics of rows known to belong to component c, gathered under
     * {@link #component} ({@code own}), into the whole model's statistics.
     */
    static void addKnown(SufficientStatistics own, int c, double logWeight, SufficientStatistics into) {
        if (own.isEmpty() || own.rows() == 0) {
            return;
        }
        int d = into.d();
        int size = into.scatterSize();
        into.countsForKernel()[c] += own.count(0);
        double[] sums = into.sumsView();
        double[] scatters = into.scattersView();
        for (int a = 0; a < d; a++) {
            sums[c * d + a] += own.sumsView()[a];
        }
        for (int i = 0; i < size; i++) {
            scatters[c * size + i] += own.scattersView()[i];
        }
        // A known component is certain: its responsibility is 1, whose log adds nothing.
        into.addTotals(own.rows(), own.totalWeight(), own.logLikelihood() + own.totalWeight() * logWeight, 0);
    }
}
