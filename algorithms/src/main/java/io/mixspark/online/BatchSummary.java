package io.mixspark.online;

import io.mixspark.gmm.SufficientStatistics;
import java.io.Serializable;

/**
 * What one online-EM step needs from a batch, computed under the current model by
 * {@link BatchSummaryPass}: the E-step's sufficient statistics of the batch's ordinary rows and,
 * apart, of its novel rows (those the model explains poorly), the rows' count, weight and
 * log-likelihood, and a bounded uniform sample of the novel rows to grow components from.
 *
 * <p>Summaries merge like {@link SufficientStatistics}: {@link #merge} is associative with an
 * empty summary as identity, and the sample keeps the same rows in any merge order. The sums are
 * floating point, so a caller that needs bit-identical results (a restarted stream) merges partial
 * summaries in a fixed order, for example by partition index.
 *
 * <p>Before the first batch there is no model: every row then counts as novel, the statistics stay
 * empty, and the sample is what the start is fitted on.
 */
public final class BatchSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    private SufficientStatistics ordinary;
    private SufficientStatistics novel;
    private final BoundedSample sample;
    private long rows;
    private double totalWeight;
    private long novelRows;
    private double novelWeight;

    BatchSummary(SufficientStatistics ordinary, SufficientStatistics novel, BoundedSample sample) {
        this.ordinary = ordinary;
        this.novel = novel;
        this.sample = sample;
    }

    /** Statistics of the ordinary rows (empty before the first model). */
    public SufficientStatistics ordinary() {
        return ordinary;
    }

    /** Statistics of the novel rows under the current model (empty when there are none or no model). */
    public SufficientStatistics novel() {
        return novel;
    }

    /** Statistics of every row: ordinary and novel together (a copy). */
    public SufficientStatistics all() {
        return ordinary.copy().merge(novel);
    }

    /** A uniform sample of the novel rows (of every row before the first model). */
    public BoundedSample sample() {
        return sample;
    }

    public long rows() {
        return rows;
    }

    public double totalWeight() {
        return totalWeight;
    }

    /** sum_i w_i log p(x_i) under the model the batch was summarised with; 0 without a model. */
    public double logLikelihood() {
        return ordinary.logLikelihood() + novel.logLikelihood();
    }

    /** The batch's mean log-likelihood per unit weight before the update; NaN without a model or weight. */
    public double meanLogLikelihood() {
        return (ordinary.isEmpty() && novel.isEmpty()) || !(totalWeight > 0) ? Double.NaN
                : logLikelihood() / totalWeight;
    }

    public long novelRows() {
        return novelRows;
    }

    public double novelWeight() {
        return novelWeight;
    }

    /** The novel rows' share of the batch's weight, or 0 for a batch without weight. */
    public double novelShare() {
        return totalWeight > 0 ? novelWeight / totalWeight : 0;
    }

    /** Counts rows of a block; {@code novelRows} of them, of weight {@code novelWeight}, are novel. */
    void addRows(long count, double weight, long novelCount, double novelCountWeight) {
        rows += count;
        totalWeight += weight;
        novelRows += novelCount;
        novelWeight += novelCountWeight;
    }

    void setOrdinary(SufficientStatistics stats) {
        ordinary = stats;
    }

    void setNovel(SufficientStatistics stats) {
        novel = stats;
    }

    /**
     * Adds other into this (other is unchanged) and returns this. Summaries of one pass share their
     * shape; empty statistics on either side are the identity.
     */
    public BatchSummary merge(BatchSummary other) {
        ordinary = ordinary.merge(other.ordinary);
        novel = novel.merge(other.novel);
        sample.merge(other.sample);
        rows += other.rows;
        totalWeight += other.totalWeight;
        novelRows += other.novelRows;
        novelWeight += other.novelWeight;
        return this;
    }
}
