package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import java.util.BitSet;
import java.util.Map;

/**
 * EM, scoring and imputation for rows with missing coordinates (NaN), missing at random: each
 * row is scored by the marginal of every component on its observed coordinates, and the E-step
 * adds the expected complete-data statistics (Ghahramani & Jordan, 1994; Little & Rubin).
 *
 * <p>The work is grouped by missingness pattern: the rows of a block that miss the same
 * coordinates go to the likelihood kernel together, under the marginal mixture of that pattern,
 * so every backend (Java or native) serves the missing path and each (component, pattern)
 * needs its marginal precision factor once. The statistics the kernel gathers on the observed
 * coordinates are then lifted to all coordinates by a linear map per component
 * ({@link MarginalMixture#liftInto}). A row with no observed coordinate takes no part.
 */
public final class MissingValues {

    private MissingValues() {
    }

    /** Whether any value of the block is NaN. */
    public static boolean hasMissing(DataBlock block) {
        double[] v = block.values();
        int n = block.rows() * block.d();
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(v[i])) {
                return true;
            }
        }
        return false;
    }

    /** The rows of a block grouped by the set of coordinates they miss, in order of first appearance. */
    static Map<BitSet, int[]> patterns(DataBlock block) {
        return PatternGroups.of(block);
    }

    /**
     * The E-step over a block with missing values, added into {@code into} (shaped for
     * {@code model}); {@code cache} keeps the marginal mixtures of the patterns seen so far.
     */
    static void expectation(LikelihoodKernel kernel, DataBlock block, Mixture model, SufficientStatistics into,
                            Map<BitSet, MarginalMixture> cache) {
        int d = block.d();
        for (Map.Entry<BitSet, int[]> group : patterns(block).entrySet()) {
            BitSet missing = group.getKey();
            int[] rows = group.getValue();
            if (missing.isEmpty()) {
                kernel.expectation(block.select(rows, block.allColumns()), model, into);
            } else if (missing.cardinality() < d) {
                MarginalMixture view = view(cache, model, missing);
                SufficientStatistics observedStats = SufficientStatistics.zeroFor(view.marginal());
                kernel.expectation(block.select(rows, view.observed()), view.marginal(), observedStats);
                view.liftInto(observedStats, into);
            }
        }
    }

    /**
     * {@code out[i * k + c] = log w_c + log N(x_i,o | mu_c,o, S_c,oo)}, the log joint on each
     * row's observed coordinates; a row with none gets {@code log w_c}.
     */
    public static void logJoint(LikelihoodKernel kernel, DataBlock block, Mixture model, double[] out,
                                Map<BitSet, MarginalMixture> cache) {
        int d = block.d();
        int k = model.k();
        for (Map.Entry<BitSet, int[]> group : patterns(block).entrySet()) {
            BitSet missing = group.getKey();
            int[] rows = group.getValue();
            double[] joint = new double[rows.length * k];
            if (missing.isEmpty()) {
                kernel.logJoint(block.select(rows, block.allColumns()), model, joint);
            } else if (missing.cardinality() < d) {
                MarginalMixture view = view(cache, model, missing);
                kernel.logJoint(block.select(rows, view.observed()), view.marginal(), joint);
            } else {
                for (int i = 0; i < rows.length; i++) {
                    for (int c = 0; c < k; c++) {
                        joint[i * k + c] = model.logWeight(c);
                    }
                }
            }
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(joint, i * k, out, rows[i] * k, k);
            }
        }
    }

    /**
     * The block's values with every missing value replaced by its conditional mean given the
     * row's observed values, averaged over the components by their posterior probabilities.
     */
    public static double[] impute(LikelihoodKernel kernel, DataBlock block, Mixture model) {
        int d = block.d();
        int k = model.k();
        double[] out = java.util.Arrays.copyOf(block.values(), block.rows() * d);
        Map<BitSet, MarginalMixture> cache = new java.util.HashMap<>();
        double[] probabilities = new double[block.rows() * k];
        logJoint(kernel, block, model, probabilities, cache);
        Scoring.normalise(probabilities, block.rows(), k);
        double[] conditional = new double[d];
        for (Map.Entry<BitSet, int[]> group : patterns(block).entrySet()) {
            BitSet missing = group.getKey();
            if (missing.isEmpty()) {
                continue;
            }
            MarginalMixture view = missing.cardinality() < d ? view(cache, model, missing) : null;
            for (int i : group.getValue()) {
                for (int a = missing.nextSetBit(0); a >= 0; a = missing.nextSetBit(a + 1)) {
                    out[i * d + a] = 0;
                }
                for (int c = 0; c < k; c++) {
                    double p = probabilities[i * k + c];
                    if (view != null) {
                        view.conditionalMean(c, out, i * d, conditional, 0);
                    } else {
                        System.arraycopy(model.meansView(), c * d, conditional, 0, d);
                    }
                    for (int a = missing.nextSetBit(0); a >= 0; a = missing.nextSetBit(a + 1)) {
                        out[i * d + a] += p * conditional[a];
                    }
                }
            }
        }
        return out;
    }

    /** The marginal mixture of a pattern with at least one observed coordinate, made once per cache. */
    private static MarginalMixture view(Map<BitSet, MarginalMixture> cache, Mixture model, BitSet missing) {
        return cache.computeIfAbsent(missing, m -> MarginalMixture.of(model, observed(m, model.d())));
    }

    static int[] observed(BitSet missing, int d) {
        int[] out = new int[d - missing.cardinality()];
        int j = 0;
        for (int a = 0; a < d; a++) {
            if (!missing.get(a)) {
                out[j++] = a;
            }
        }
        return out;
    }
}
