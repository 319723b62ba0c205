package io.mixspark.online;

import io.mixspark.data.BlockData;
import io.mixspark.em.EmOptions;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import java.util.List;
import java.util.function.Consumer;

/**
 * Incremental EM (Neal and Hinton 1998) over fixed groups of blocks: each group's last sufficient
 * statistics are kept, and a step replaces them in the running total (s <- s - s_g,old + s_g,new)
 * before an M-step from the total. Every M-step then sees every row, each under the model of its
 * group's last visit; the free energy never falls, and with one group a step is a batch EM
 * iteration. The statistics are kept about a fixed reference per component (the start's means),
 * so groups measured about different models' means add up: a group's moments about the model mean
 * mu are moved to the reference m by s' = s + c (mu - m) and M' = M + s (mu - m)^T + (mu - m) s^T
 * + c (mu - m)(mu - m)^T.
 *
 * <p>Memory: groups x k x (d^2 or d) doubles on the driver ({@link #bytes}).
 */
final class IncrementalEm {

    private final BlockData data;
    private final List<int[]> groups;
    private final EmOptions options;
    private final String kernel;
    private final Consumer<String> log;
    private int k;
    private int d;
    private boolean full;
    private int scatterSize;
    private double[] reference;
    private double[][] counts;
    private double[][] sums;
    private double[][] scatters;
    private double[] totalCounts;
    private double[] totalSums;
    private double[] totalScatters;
    private Mixture model;

    IncrementalEm(BlockData data, List<int[]> groups, Mixture start, EmOptions options, String kernel,
                  Consumer<String> log) {
        this.data = data;
        this.groups = groups;
        this.options = options;
        this.kernel = kernel;
        this.log = log;
        fill(start);
    }

    /** Bytes the kept statistics take: groups x k x (sum and scatter) doubles. */
    static long bytes(long groups, int k, int d, boolean fullScatter) {
        return groups * k * (1L + d + (fullScatter ? (long) d * d : d)) * Double.BYTES;
    }

    Mixture model() {
        return model;
    }

    /** Keeps every group's statistics under {@code from} (one pass over the data) and steps from their total. */
    private void fill(Mixture from) {
        model = from;
        k = from.k();
        d = from.d();
        full = from.covarianceType().needsFullScatter();
        scatterSize = full ? d * d : d;
        reference = from.meansView().clone();
        int g = groups.size();
        counts = new double[g][];
        sums = new double[g][];
        scatters = new double[g][];
        totalCounts = new double[k];
        totalSums = new double[k * d];
        totalScatters = new double[k * scatterSize];
        for (int i = 0; i < g; i++) {
            measure(i);
            add(i, 1.0);
        }
    }

    /**
     * Visits group {@code i}: its statistics under the current model replace its last ones, then the
     * M-step. Returns the group's statistics (its log-likelihood and weight under the model before the step).
     */
    SufficientStatistics step(int i) {
        add(i, -1.0);
        SufficientStatistics stats = measure(i);
        add(i, 1.0);
        Mixture next = MStep.update(SufficientStatistics.ofMoments(k, d, full, reference, totalCounts, totalSums,
                totalScatters), options.covarianceType(), options.regCovar(), log, model);
        if (next.k() != k) {
            // A component lost its mass: the kept statistics have the old k; measure every group again.
            fill(next);
        } else {
            model = next;
        }
        return stats;
    }

    /** Group i's statistics under the current model, kept about the reference. */
    private SufficientStatistics measure(int i) {
        SufficientStatistics stats = data.aggregate(new ExpectationPass(model, kernel), groups.get(i));
        double[] c = new double[k];
        double[] s = new double[k * d];
        double[] m = new double[k * scatterSize];
        if (!stats.isEmpty()) {
            double[] centres = stats.centresView();
            double[] rawSums = stats.sumsView();
            double[] rawScatters = stats.scattersView();
            double[] delta = new double[d];
            for (int comp = 0; comp < k; comp++) {
                double n = stats.count(comp);
                c[comp] = n;
                int base = comp * d;
                int sBase = comp * scatterSize;
                for (int a = 0; a < d; a++) {
                    delta[a] = centres[base + a] - reference[base + a];
                    s[base + a] = rawSums[base + a] + n * delta[a];
                }
                for (int a = 0; a < d; a++) {
                    double sa = rawSums[base + a];
                    if (full) {
                        for (int b = 0; b <= a; b++) {
                            double v = rawScatters[sBase + a * d + b] + sa * delta[b] + delta[a] * rawSums[base + b]
                                    + n * delta[a] * delta[b];
                            m[sBase + a * d + b] = v;
                            m[sBase + b * d + a] = v;
                        }
                    } else {
                        m[sBase + a] = rawScatters[sBase + a] + 2 * sa * delta[a] + n * delta[a] * delta[a];
                    }
                }
            }
        }
        counts[i] = c;
        sums[i] = s;
        scatters[i] = m;
        return stats;
    }

    private void add(int i, double sign) {
        addInto(totalCounts, counts[i], sign);
        addInto(totalSums, sums[i], sign);
        addInto(totalScatters, scatters[i], sign);
    }

    private static void addInto(double[] total, double[] part, double sign) {
        for (int j = 0; j < total.length; j++) {
            total[j] += sign * part[j];
        }
    }
}
