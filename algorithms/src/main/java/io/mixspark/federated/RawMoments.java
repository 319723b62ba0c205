package io.mixspark.federated;

import io.mixspark.gmm.SufficientStatistics;
import java.io.Serializable;
import java.util.Random;

/**
 * Per-component moments about the origin, the form in which {@link PrivateFederatedEm} releases
 * statistics: counts n_c = sum r_ic w_i, first moments S1_c = sum r_ic w_i x_i and second moments
 * S2_c = sum r_ic w_i x_i x_i^T (lower triangle, packed row by row, or the diagonal).
 *
 * <p><b>Why about the origin.</b> {@link SufficientStatistics} keeps moments about the model's
 * means c, which is better for rounding but worse for privacy: one clipped row changes a centred
 * moment by up to ||x - c|| <= B + ||c|| (and its square), while it changes a raw moment by at
 * most ||x|| <= B, and B^2 for the second moment. Both are valid (the centres are public), but
 * the raw moments need less noise, and recentring them on the server is post-processing, which
 * costs no privacy. Over all components together the L2 sensitivities under adding or removing
 * one row of weight at most 1 are 1 (counts: ||r_i||_2 <= ||r_i||_1 = 1), B (first moments:
 * ||r_i||_2 ||x_i||) and B^2 (second moments: ||x_i x_i^T||_F = ||x_i||^2, and its lower triangle
 * or diagonal is no larger).
 *
 * <p>Mergeable like the statistics it comes from: {@link #plus} is associative and commutative.
 */
public final class RawMoments implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int k;
    private final int d;
    private final boolean fullScatter;
    private final double[] counts;
    private final double[] sums;
    private final double[] scatters;

    private RawMoments(int k, int d, boolean fullScatter) {
        this.k = k;
        this.d = d;
        this.fullScatter = fullScatter;
        this.counts = new double[k];
        this.sums = new double[k * d];
        this.scatters = new double[k * scatterSize(d, fullScatter)];
    }

    /** Moments of no rows. */
    public static RawMoments zero(int k, int d, boolean fullScatter) {
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("moments need k >= 1 and d >= 1, got k=" + k + ", d=" + d);
        }
        return new RawMoments(k, d, fullScatter);
    }

    /**
     * The raw moments of centred statistics: S1 = s1 + n c and S2 = s2 + s1 c^T + c s1^T + n c c^T,
     * with s1, s2 the moments about the centres c. Empty statistics give {@link #zero}.
     */
    public static RawMoments fromCentred(SufficientStatistics stats, int k, int d, boolean fullScatter) {
        RawMoments out = zero(k, d, fullScatter);
        if (stats.isEmpty()) {
            return out;
        }
        if (stats.k() != k || stats.d() != d || stats.fullScatter() != fullScatter) {
            throw new IllegalArgumentException("statistics of k=" + stats.k() + ", d=" + stats.d()
                    + " do not have the expected shape k=" + k + ", d=" + d);
        }
        double[] centres = stats.centresView();
        double[] s1 = stats.sumsView();
        double[] s2 = stats.scattersView();
        int size = stats.scatterSize();
        int packed = out.scatterSize();
        for (int c = 0; c < k; c++) {
            double n = stats.count(c);
            out.counts[c] = n;
            for (int a = 0; a < d; a++) {
                out.sums[c * d + a] = s1[c * d + a] + n * centres[c * d + a];
            }
            for (int a = 0; a < d; a++) {
                double ca = centres[c * d + a];
                double sa = s1[c * d + a];
                if (fullScatter) {
                    for (int b = 0; b <= a; b++) {
                        double cb = centres[c * d + b];
                        out.scatters[c * packed + lowerIndex(a, b)] = s2[c * size + a * d + b] + sa * cb
                                + ca * s1[c * d + b] + n * ca * cb;
                    }
                } else {
                    out.scatters[c * packed + a] = s2[c * size + a] + 2 * sa * ca + n * ca * ca;
                }
            }
        }
        return out;
    }

    /** The sum of both (neither is changed). */
    public RawMoments plus(RawMoments other) {
        if (other.k != k || other.d != d || other.fullScatter != fullScatter) {
            throw new IllegalArgumentException("cannot add moments of k=" + other.k + ", d=" + other.d
                    + " to moments of k=" + k + ", d=" + d);
        }
        RawMoments out = new RawMoments(k, d, fullScatter);
        for (int i = 0; i < counts.length; i++) {
            out.counts[i] = counts[i] + other.counts[i];
        }
        for (int i = 0; i < sums.length; i++) {
            out.sums[i] = sums[i] + other.sums[i];
        }
        for (int i = 0; i < scatters.length; i++) {
            out.scatters[i] = scatters[i] + other.scatters[i];
        }
        return out;
    }

    /**
     * A copy with independent N(0, sd^2) noise on every released value: counts, first moments,
     * and every packed second-moment entry (the upper triangle is its mirror, not fresh noise).
     */
    public RawMoments withGaussianNoise(double sdCount, double sdSum, double sdScatter, Random random) {
        RawMoments out = new RawMoments(k, d, fullScatter);
        for (int i = 0; i < counts.length; i++) {
            out.counts[i] = counts[i] + sdCount * random.nextGaussian();
        }
        for (int i = 0; i < sums.length; i++) {
            out.sums[i] = sums[i] + sdSum * random.nextGaussian();
        }
        for (int i = 0; i < scatters.length; i++) {
            out.scatters[i] = scatters[i] + sdScatter * random.nextGaussian();
        }
        return out;
    }

    public int k() {
        return k;
    }

    public int d() {
        return d;
    }

    public boolean fullScatter() {
        return fullScatter;
    }

    public double count(int c) {
        return counts[c];
    }

    /** Component c's first moment, coordinate a. */
    public double sum(int c, int a) {
        return sums[c * d + a];
    }

    /** Component c's second moment (a, b); symmetric; off-diagonal entries are 0 for diagonal scatter. */
    public double scatter(int c, int a, int b) {
        if (!fullScatter) {
            return a == b ? scatters[c * d + a] : 0;
        }
        return a >= b ? scatters[c * scatterSize() + lowerIndex(a, b)]
                : scatters[c * scatterSize() + lowerIndex(b, a)];
    }

    /** The doubles released: k counts, k d first moments and k packed second moments. */
    public long doubles() {
        return counts.length + sums.length + scatters.length;
    }

    private int scatterSize() {
        return scatterSize(d, fullScatter);
    }

    private static int scatterSize(int d, boolean full) {
        return full ? d * (d + 1) / 2 : d;
    }

    private static int lowerIndex(int a, int b) {
        return a * (a + 1) / 2 + b;
    }
}
