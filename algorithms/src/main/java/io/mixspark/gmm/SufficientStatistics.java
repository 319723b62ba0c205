package io.mixspark.gmm;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable E-step statistics of a mixture over some rows: per component the weighted count,
 * and the weighted first and second moments about a fixed centre per component, plus the
 * weighted log-likelihood of the rows.
 *
 * <p>Moments are kept about centres (the current model's means) rather than about zero, so the
 * M-step subtracts nothing large from anything large: data far from the origin keeps its
 * precision. Statistics are a commutative monoid: {@link #merge} is associative, and
 * {@link #empty()} is its identity, so Spark's {@code treeAggregate}, federated aggregation and
 * the in-memory fitter all combine them the same way.
 *
 * <p>Second moments are accumulated in the lower triangle only (row-major d x d) when the
 * scatter is full, or as d diagonal entries otherwise.
 */
public final class SufficientStatistics implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int k;
    private final int d;
    private final boolean fullScatter;
    private final double[] centres;
    private final double[] counts;
    private final double[] sums;
    private final double[] scatters;
    private double logLikelihood;
    private double totalWeight;
    private long rows;
    private double sumLogMaxResponsibility;

    private SufficientStatistics(int k, int d, boolean fullScatter, double[] centres) {
        this.k = k;
        this.d = d;
        this.fullScatter = fullScatter;
        this.centres = centres;
        this.counts = centres == null ? null : new double[k];
        this.sums = centres == null ? null : new double[k * d];
        this.scatters = centres == null ? null : new double[k * (fullScatter ? d * d : d)];
    }

    /** The identity of {@link #merge}: statistics of no rows, of no particular shape. */
    public static SufficientStatistics empty() {
        return new SufficientStatistics(0, 0, false, null);
    }

    /**
     * Zeroed statistics for k components in d dimensions.
     *
     * @param centres row-major k x d centres the moments are taken about
     */
    public static SufficientStatistics zero(int k, int d, boolean fullScatter, double[] centres) {
        if (k < 1 || d < 1 || centres == null || centres.length != k * d) {
            throw new IllegalArgumentException("statistics need k >= 1, d >= 1 and k x d centres; got k=" + k
                    + ", d=" + d + ", centres=" + (centres == null ? "none" : centres.length));
        }
        return new SufficientStatistics(k, d, fullScatter, centres.clone());
    }

    /** Zeroed statistics shaped for an E-step of this mixture, centred on its means. */
    public static SufficientStatistics zeroFor(Mixture model) {
        return zero(model.k(), model.d(), model.covarianceType().needsFullScatter(), model.meansView());
    }

    /**
     * Statistics with the given moments about the given centres, for callers that keep their own
     * running statistics (online EM) and hand them to {@link MStep}; the arrays are copied, the
     * total weight is the sum of the counts, and no rows or log-likelihood are recorded.
     *
     * @param sums     k x d weighted sums about the centres
     * @param scatters k x {@link #scatterSize()} scatters about the centres (lower triangles when full)
     */
    public static SufficientStatistics ofMoments(int k, int d, boolean fullScatter, double[] centres, double[] counts,
                                                 double[] sums, double[] scatters) {
        SufficientStatistics s = zero(k, d, fullScatter, centres);
        if (counts.length != k || sums.length != k * d || scatters.length != s.scatters.length) {
            throw new IllegalArgumentException("moments of k=" + k + ", d=" + d + " need " + k + " counts, " + k * d
                    + " sums and " + s.scatters.length + " scatter values; got " + counts.length + ", " + sums.length
                    + " and " + scatters.length);
        }
        System.arraycopy(counts, 0, s.counts, 0, k);
        System.arraycopy(sums, 0, s.sums, 0, sums.length);
        System.arraycopy(scatters, 0, s.scatters, 0, scatters.length);
        for (double c : counts) {
            s.totalWeight += c;
        }
        return s;
    }

    public boolean isEmpty() {
        return centres == null;
    }

    /**
     * Adds other into this (other is unchanged) and returns this; empty statistics on either
     * side are the identity.
     *
     * @throws IllegalArgumentException if both are non-empty and differ in shape or centres
     */
    public SufficientStatistics merge(SufficientStatistics other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other.copy();
        }
        if (k != other.k || d != other.d || fullScatter != other.fullScatter || !Arrays.equals(centres, other.centres)) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes or centres: k=" + k
                    + "/" + other.k + ", d=" + d + "/" + other.d);
        }
        addInto(counts, other.counts);
        addInto(sums, other.sums);
        addInto(scatters, other.scatters);
        logLikelihood += other.logLikelihood;
        totalWeight += other.totalWeight;
        rows += other.rows;
        sumLogMaxResponsibility += other.sumLogMaxResponsibility;
        return this;
    }

    /**
     * Adds one row's contribution to component c.
     *
     * @param weight the row weight times its responsibility for c
     */
    public void addToComponent(int c, double weight, double[] x, int offset) {
        counts[c] += weight;
        int base = c * d;
        int scatterBase = c * scatterSize();
        for (int a = 0; a < d; a++) {
            double da = x[offset + a] - centres[base + a];
            double wa = weight * da;
            sums[base + a] += wa;
            if (fullScatter) {
                int rowBase = scatterBase + a * d;
                for (int b = 0; b <= a; b++) {
                    scatters[rowBase + b] += wa * (x[offset + b] - centres[base + b]);
                }
            } else {
                scatters[scatterBase + a] += wa * da;
            }
        }
    }

    /** Records one row's weight, log-likelihood and log of its largest responsibility. */
    public void addRowTotals(double rowWeight, double rowLogLikelihood, double logMaxResponsibility) {
        rows++;
        totalWeight += rowWeight;
        logLikelihood += rowWeight * rowLogLikelihood;
        sumLogMaxResponsibility += rowWeight * logMaxResponsibility;
    }

    /** Adds the totals of many rows at once (for block kernels). */
    void addTotals(long rowCount, double weight, double weightedLogLikelihood, double weightedLogMaxResponsibility) {
        rows += rowCount;
        totalWeight += weight;
        logLikelihood += weightedLogLikelihood;
        sumLogMaxResponsibility += weightedLogMaxResponsibility;
    }

    /** The counts array itself, for block kernels (see {@link LikelihoodKernel}). */
    double[] countsForKernel() {
        return counts;
    }

    public SufficientStatistics copy() {
        if (isEmpty()) {
            return empty();
        }
        SufficientStatistics c = new SufficientStatistics(k, d, fullScatter, centres);
        System.arraycopy(counts, 0, c.counts, 0, counts.length);
        System.arraycopy(sums, 0, c.sums, 0, sums.length);
        System.arraycopy(scatters, 0, c.scatters, 0, scatters.length);
        c.logLikelihood = logLikelihood;
        c.totalWeight = totalWeight;
        c.rows = rows;
        c.sumLogMaxResponsibility = sumLogMaxResponsibility;
        return c;
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

    /** Entries per component scatter: d * d (lower triangle used) or d. */
    public int scatterSize() {
        return fullScatter ? d * d : d;
    }

    public double count(int c) {
        return counts[c];
    }

    /** Weighted sum of (x - centre_c) for component c, read-only view at offset c * d. */
    public double[] sumsView() {
        return sums;
    }

    /** Weighted scatter about the centres, read-only view at offset c * scatterSize(). */
    public double[] scattersView() {
        return scatters;
    }

    /** Row-major k x d centres, read-only view. */
    public double[] centresView() {
        return centres;
    }

    /** Total weighted log-likelihood: sum_i w_i log p(x_i). */
    public double logLikelihood() {
        return logLikelihood;
    }

    /** Sum of the row weights. */
    public double totalWeight() {
        return totalWeight;
    }

    public long rows() {
        return rows;
    }

    /** Mean log-likelihood per unit of row weight. */
    public double meanLogLikelihood() {
        return logLikelihood / totalWeight;
    }

    /** sum_i w_i log max_k r_ik, the classification term of ICL. */
    public double sumLogMaxResponsibility() {
        return sumLogMaxResponsibility;
    }

    private static void addInto(double[] target, double[] source) {
        for (int i = 0; i < target.length; i++) {
            target[i] += source[i];
        }
    }
}
