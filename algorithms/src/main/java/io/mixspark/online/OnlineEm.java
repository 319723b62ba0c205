package io.mixspark.online;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Online EM (Cappé and Moulines, 2009), one step per batch: with the batch's E-step statistics
 * s_batch per unit of row weight, the running statistics become
 * {@code s <- (1 - eta_t) s + eta_t s_batch} and the mixture is the M-step of s. A step is
 * deterministic: the same state, summary and options give a bit-identical state.
 *
 * <p>Usage: make a pass with {@link #summaryPass}, aggregate the batch's blocks with it (in any
 * partitioning; merge partial summaries in a fixed order for bit-identical sums), then
 * {@link #update}.
 */
public final class OnlineEm {

    /** Components whose running count falls to this share are dropped, as {@link MStep} would. */
    private static final double EMPTY_SHARE = 1e-12;

    private OnlineEm() {
    }

    /** The pass that summarises a batch of d-column rows under the state's model. */
    public static BatchSummaryPass summaryPass(OnlineEmState state, int d, OnlineEmOptions options) {
        return new BatchSummaryPass(d, state.model(), options, Kernels.passName(options.kernel()),
                seedFor(options, state.updates()));
    }

    /** Summarises rows held in memory: the pass over the given blocks. */
    public static BatchSummary summarise(OnlineEmState state, Iterable<DataBlock> blocks, int d,
                                         OnlineEmOptions options) {
        BatchSummaryPass pass = summaryPass(state, d, options);
        BatchSummary acc = pass.zero();
        for (DataBlock b : blocks) {
            acc = pass.add(acc, b);
        }
        return acc;
    }

    /** As {@link #update(OnlineEmState, BatchSummary, long, OnlineEmOptions, Consumer)}, without messages. */
    public static OnlineEmState update(OnlineEmState state, BatchSummary summary, long batchId,
                                       OnlineEmOptions options) {
        return update(state, summary, batchId, options, message -> { });
    }

    /**
     * One online-EM step with a batch summarised under {@code state}'s model.
     *
     * @param batchId increasing batch ids; a batch already applied is refused
     * @param log     receives one message per component added or removed, and per batch skipped
     * @throws IllegalArgumentException if the batch was already applied or the summary is not shaped
     *                                  for the state's model
     * @throws io.mixspark.gmm.NumericalFailureException if the M-step fails
     */
    public static OnlineEmState update(OnlineEmState state, BatchSummary summary, long batchId,
                                       OnlineEmOptions options, Consumer<String> log) {
        return update(state, summary, batchId, options, log, 0);
    }

    /**
     * As {@link #update(OnlineEmState, BatchSummary, long, OnlineEmOptions, Consumer)}, with a step of at
     * least {@code minStep}: mini-batch EM's floor, the batch's share of a static table.
     */
    static OnlineEmState update(OnlineEmState state, BatchSummary summary, long batchId, OnlineEmOptions options,
                                Consumer<String> log, double minStep) {
        if (state.hasApplied(batchId)) {
            throw new IllegalArgumentException("batch " + batchId + " was already applied (the state's last batch is "
                    + state.lastBatchId() + ")");
        }
        if (!(summary.totalWeight() > 0)) {
            log.accept("batch " + batchId + " has no rows with positive weight; the model is unchanged");
            return state.passing(batchId);
        }
        String kernel = Kernels.passName(options.kernel());
        long seed = seedFor(options, state.updates());
        if (!state.hasModel()) {
            return start(summary, batchId, options, kernel, seed, log);
        }
        Mixture model = state.model();
        if (model.k() > 0 && !summary.all().isEmpty()
                && !Arrays.equals(summary.all().centresView(), model.meansView())) {
            throw new IllegalArgumentException("the batch summary was not made under the state's model");
        }
        // no statistics: the batch's alone
        double eta = state.hasStatistics() ? Math.max(options.step(state.updates() + 1), minStep) : 1.0;
        Mixture grown = growth(state, summary, options, kernel, seed, log);
        Running running = Running.of(state, model.covarianceType().needsFullScatter());
        SufficientStatistics batch = grown == null ? summary.all() : summary.ordinary();
        running = running.step(eta, batch, summary.totalWeight());
        if (grown != null) {
            double share = summary.novelWeight() / summary.totalWeight();
            running = running.append(grown, SampleFit.statistics(summary.sample().toBlock(), grown, kernel), share);
            log.accept("batch " + batchId + ": " + grown.k() + " component(s) added for its novel rows ("
                    + Math.round(100 * share) + "% of its weight)");
        }
        double floor = options.growth() ? Math.max(options.weightFloor(), EMPTY_SHARE) : EMPTY_SHARE;
        running = running.normalised().pruned(floor, batchId, log).normalised();
        // EVE and VVE iterate their M-step: warm-start it from the model, unless components came or went.
        SufficientStatistics pooled = running.statistics();
        Mixture next = MStep.update(pooled, model.covarianceType(), options.regCovar(), log,
                pooled.k() == model.k() ? model : null);
        Running centred = running.recentred();
        return new OnlineEmState(next, centred.counts(), centred.scatters(), state.updates() + 1, batchId);
    }

    /** The first model, fitted on the first batch's sample; its running statistics are the sample's. */
    private static OnlineEmState start(BatchSummary summary, long batchId, OnlineEmOptions options, String kernel,
                                       long seed, Consumer<String> log) {
        DataBlock sample = summary.sample().toBlock();
        if (sample.rows() < options.k()) {
            log.accept("batch " + batchId + " has " + sample.rows() + " complete rows, fewer than k = " + options.k()
                    + "; the model starts with a later batch");
            return OnlineEmState.empty().passing(batchId);
        }
        Mixture fitted = SampleFit.fit(sample, options.k(), options, kernel, seed).model();
        SufficientStatistics stats = SampleFit.statistics(sample, fitted, kernel);
        Running running = Running.of(stats, stats.totalWeight()).normalised();
        Mixture model = MStep.update(running.statistics(), options.covarianceType(), options.regCovar(), log);
        Running centred = running.recentred();
        return new OnlineEmState(model, centred.counts(), centred.scatters(), 1, batchId);
    }

    /** The components to add for this batch's novel rows, or null. */
    private static Mixture growth(OnlineEmState state, BatchSummary summary, OnlineEmOptions options, String kernel,
                                  long seed, Consumer<String> log) {
        if (!options.growth() || state.k() >= options.maxK() || summary.novelShare() <= options.minNovelShare()) {
            return null;
        }
        DataBlock sample = summary.sample().toBlock();
        return Growth.newComponents(sample, options.maxK() - state.k(), options, kernel, seed);
    }

    /** The seed of update t: the options' seed mixed with t, so no two updates share random draws. */
    static long seedFor(OnlineEmOptions options, long updates) {
        return io.mixspark.data.RowHash.remix(options.seed(), updates);
    }
}
