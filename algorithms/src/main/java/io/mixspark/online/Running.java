package io.mixspark.online;

import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Running statistics during one online-EM step: per component a count, first moments and a
 * scatter about a centre (the current means; appended components about their own). Each method
 * returns new statistics.
 */
record Running(int d, boolean fullScatter, double[] centres, double[] counts, double[] sums, double[] scatters) {

    int k() {
        return counts.length;
    }

    private int size() {
        return fullScatter ? d * d : d;
    }

    /** The state's running statistics about its means (zeros when it has none yet). */
    static Running of(OnlineEmState state, boolean fullScatter) {
        Mixture model = state.model();
        int k = model.k();
        int d = model.d();
        int size = fullScatter ? d * d : d;
        double[] counts = state.hasStatistics() ? state.counts() : new double[k];
        double[] scatters = state.hasStatistics() ? state.scatters() : new double[k * size];
        return new Running(d, fullScatter, model.meansView().clone(), counts, new double[k * d], scatters);
    }

    /** E-step statistics divided by a total weight. */
    static Running of(SufficientStatistics stats, double weight) {
        return new Running(stats.d(), stats.fullScatter(), stats.centresView().clone(), scaled(counts(stats), 1 / weight),
                scaled(stats.sumsView(), 1 / weight), scaled(stats.scattersView(), 1 / weight));
    }

    /** (1 - eta) this + eta batch / weight, the batch's statistics being taken about the same centres. */
    Running step(double eta, SufficientStatistics batch, double weight) {
        double[] n = scaled(counts, 1 - eta);
        double[] s = scaled(sums, 1 - eta);
        double[] q = scaled(scatters, 1 - eta);
        if (!batch.isEmpty()) {
            if (batch.k() != k() || batch.fullScatter() != fullScatter || !Arrays.equals(batch.centresView(), centres)) {
                throw new IllegalArgumentException("the batch statistics are not shaped for the running statistics");
            }
            double f = eta / weight;
            addScaled(n, counts(batch), f);
            addScaled(s, batch.sumsView(), f);
            addScaled(q, batch.scattersView(), f);
        }
        return new Running(d, fullScatter, centres, n, s, q);
    }

    /**
     * Appends new components with their statistics on a sample of rows that carry {@code share} of
     * the batch's weight, as if they had always had them: scaled to that share, not by the step.
     */
    Running append(Mixture added, SufficientStatistics sampleStats, double share) {
        double f = share / sampleStats.totalWeight();
        return new Running(d, fullScatter, concat(centres, added.meansView()),
                concat(counts, scaled(counts(sampleStats), f)), concat(sums, scaled(sampleStats.sumsView(), f)),
                concat(scatters, scaled(sampleStats.scattersView(), f)));
    }

    /** Scaled so the counts sum to 1 (the M-step does not change). */
    Running normalised() {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double f = 1 / total;
        return new Running(d, fullScatter, centres, scaled(counts, f), scaled(sums, f), scaled(scatters, f));
    }

    /** Without the components whose count is at most {@code floor} times the total; the largest always stays. */
    Running pruned(double floor, long batchId, Consumer<String> log) {
        double total = 0;
        int largest = 0;
        for (int c = 0; c < k(); c++) {
            total += counts[c];
            largest = counts[c] > counts[largest] ? c : largest;
        }
        int[] kept = new int[k()];
        int m = 0;
        for (int c = 0; c < k(); c++) {
            if (counts[c] > floor * total || c == largest) {
                kept[m++] = c;
            } else {
                log.accept("batch " + batchId + ": component " + c + " removed, its weight " + counts[c] / total
                        + " fell to the floor " + floor);
            }
        }
        if (m == k()) {
            return this;
        }
        int size = size();
        double[] cs = new double[m * d];
        double[] n = new double[m];
        double[] s = new double[m * d];
        double[] q = new double[m * size];
        for (int j = 0; j < m; j++) {
            int c = kept[j];
            System.arraycopy(centres, c * d, cs, j * d, d);
            n[j] = counts[c];
            System.arraycopy(sums, c * d, s, j * d, d);
            System.arraycopy(scatters, c * size, q, j * size, size);
        }
        return new Running(d, fullScatter, cs, n, s, q);
    }

    SufficientStatistics statistics() {
        return SufficientStatistics.ofMoments(k(), d, fullScatter, centres, counts, sums, scatters);
    }

    /**
     * The same statistics about the component means they imply (centre + sum / count), which are
     * the M-step's means: the sums become zero and each scatter loses sum sum^T / count.
     */
    Running recentred() {
        int size = size();
        double[] q = scatters.clone();
        double[] cs = centres.clone();
        for (int c = 0; c < k(); c++) {
            double n = counts[c];
            for (int a = 0; a < d; a++) {
                double sa = sums[c * d + a];
                cs[c * d + a] += sa / n;
                if (fullScatter) {
                    for (int b = 0; b <= a; b++) {
                        q[c * size + a * d + b] -= sa * sums[c * d + b] / n;
                    }
                } else {
                    q[c * size + a] -= sa * sa / n;
                }
            }
        }
        return new Running(d, fullScatter, cs, counts, new double[sums.length], q);
    }

    private static double[] counts(SufficientStatistics stats) {
        double[] out = new double[stats.k()];
        for (int c = 0; c < out.length; c++) {
            out[c] = stats.count(c);
        }
        return out;
    }

    private static double[] scaled(double[] values, double f) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * f;
        }
        return out;
    }

    private static void addScaled(double[] target, double[] source, double f) {
        for (int i = 0; i < target.length; i++) {
            target[i] += source[i] * f;
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
