package io.mixspark.online;

import io.mixspark.data.BlockData;
import io.mixspark.data.Missingness;
import io.mixspark.data.RowHash;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ObjIntConsumer;

/**
 * Mini-batch EM for a table too big for many passes: online EM ({@link OnlineEm}) over the data's
 * blocks in a shuffled order, one step per group of blocks holding about {@code batchRows} rows,
 * for a few passes, then optionally one or two full EM iterations, which take the stochastic
 * noise out of the last steps. It starts from EM's own start ({@link EmFitter#initialMixture}),
 * so the two can be compared from the same mixture.
 *
 * <p>The history has one record per pass, with the mean of the batches' log-likelihoods before
 * their steps (the online estimate of the model's fit), then one per finishing iteration; the
 * result's log-likelihood is the final model's on all rows.
 */
public final class MiniBatchEm {

    private MiniBatchEm() {
    }

    /**
     * Fits with {@code options.nInit()} restarts (EM's starts, seeds seed, seed + 1, ...) and keeps the best.
     *
     * @throws UnsupportedOperationException if the data cannot pass over some of its blocks
     */
    public static EmResult fit(BlockData data, EmOptions options, MiniBatchOptions miniBatch, FitListener listener) {
        return fit(data, options, miniBatch, listener, data.aggregate(Missingness.pass(data.dimension())));
    }

    /** As {@link #fit(BlockData, EmOptions, MiniBatchOptions, FitListener)}, with the data's missingness counted. */
    public static EmResult fit(BlockData data, EmOptions options, MiniBatchOptions miniBatch, FitListener listener,
                               Missingness missingness) {
        if (options.prior() != Prior.NONE) {
            throw new IllegalArgumentException("mini-batch EM takes maximum-likelihood steps and has no prior; fit"
                    + " with method em for the prior's MAP estimates");
        }
        if (options.shrinkage() != CovarianceShrinkage.NONE) {
            throw new IllegalArgumentException("mini-batch EM keeps shares of the rows, not counts, which give the"
                    + " covariance shrinkage " + options.shrinkage().id() + " no effective count; fit with method em"
                    + " to shrink the covariances");
        }
        if (missingness.labelledRows() > 0) {
            throw new IllegalArgumentException("mini-batch EM may drop or merge components, which would renumber the"
                    + " known labels; fit with method em for partially labelled rows");
        }
        long[] blockRows = data.blockRows();
        int restarts = options.nInit();
        double[] finals = new double[restarts];
        EmResult best = null;
        int bestRestart = 0;
        for (int r = 0; r < restarts; r++) {
            listener.restartStarted(r, restarts);
            Mixture start = EmFitter.initialMixture(data, options, r, listener, missingness);
            EmResult result = run(data, blockRows, start, options, miniBatch, r, listener, (model, pass) -> { });
            finals[r] = result.meanLogLikelihood();
            if (best == null || result.logLikelihood() > best.logLikelihood()) {
                best = result;
                bestRestart = r;
            }
        }
        return new EmResult(best.model(), best.history(), best.converged(), best.logLikelihood(), best.totalWeight(),
                best.rows(), best.bic(), best.aic(), best.icl(), bestRestart, finals, best.kernel());
    }

    /** Mini-batch EM from a given mixture, without restarts. */
    public static EmResult run(BlockData data, Mixture start, EmOptions options, MiniBatchOptions miniBatch,
                               FitListener listener) {
        return run(data, data.blockRows(), start, options, miniBatch, 0, listener, (model, pass) -> { });
    }

    /**
     * As {@link #run(BlockData, Mixture, EmOptions, MiniBatchOptions, FitListener)}, handing the model
     * after each step (numbered from 1 across passes) to {@code afterStep}, for callers that measure
     * its progress (the time they take counts in the pass's seconds).
     */
    public static EmResult run(BlockData data, Mixture start, EmOptions options, MiniBatchOptions miniBatch,
                               FitListener listener, ObjIntConsumer<Mixture> afterStep) {
        return run(data, data.blockRows(), start, options, miniBatch, 0, listener, afterStep);
    }

    private static EmResult run(BlockData data, long[] blockRows, Mixture start, EmOptions options,
                                MiniBatchOptions miniBatch, int restart, FitListener listener,
                                ObjIntConsumer<Mixture> afterStep) {
        OnlineEmOptions online = OnlineEmOptions.builder(start.k(), options.covarianceType())
                .regCovar(options.regCovar()).stepExponent(miniBatch.stepExponent())
                .stepOffset(miniBatch.stepOffset()).seed(options.seed() + restart).kernel(options.kernel()).build();
        String kernel = Kernels.passName(options.kernel());
        OnlineEmState state = OnlineEmState.startingFrom(start);
        List<IterationRecord> history = new ArrayList<>();
        double previous = Double.NaN;
        for (int pass = 1; pass <= miniBatch.passes(); pass++) {
            long t0 = System.nanoTime();
            double logLikelihood = 0;
            double weight = 0;
            int k = state.k();
            for (int[] group : groups(blockRows, miniBatch.batchRows(), new Random(
                    RowHash.remix(options.seed() + restart, pass)))) {
                BatchSummary summary = data.aggregate(OnlineEm.summaryPass(state, data.dimension(), online), group);
                if (summary.totalWeight() > 0) {
                    logLikelihood += summary.logLikelihood();
                    weight += summary.totalWeight();
                }
                state = OnlineEm.update(state, summary, state.lastBatchId() + 1, online, listener::warning);
                afterStep.accept(state.model(), (int) state.updates());
            }
            double mean = logLikelihood / weight;
            IterationRecord record = new IterationRecord(pass, mean, pass == 1 ? Double.NaN : mean - previous,
                    (System.nanoTime() - t0) / 1e9, k);
            history.add(record);
            listener.iteration(restart, record);
            previous = mean;
        }
        if (miniBatch.finishIterations() == 0) {
            SufficientStatistics last = data.aggregate(new ExpectationPass(state.model(), kernel));
            return EmResult.of(state.model(), history, false, checked(last), kernel);
        }
        EmOptions finish = options.toBuilder().k(state.k()).maxIter(miniBatch.finishIterations()).initMode(
                io.mixspark.em.InitMode.AUTO).initialModel(null).build();
        EmResult polished = EmFitter.run(data, state.model(), finish, kernel, restart, new Renumbered(listener,
                miniBatch.passes()));
        for (IterationRecord r : polished.history()) {
            history.add(new IterationRecord(miniBatch.passes() + r.iteration(), r.meanLogLikelihood(), r.change(),
                    r.seconds(), r.components()));
        }
        return new EmResult(polished.model(), history, polished.converged(), polished.logLikelihood(),
                polished.totalWeight(), polished.rows(), polished.bic(), polished.aic(), polished.icl(), 0,
                polished.restartLogLikelihoods(), polished.kernel());
    }

    /**
     * The block indexes in a shuffled order, cut into groups that each hold at least {@code batchRows}
     * rows (the last group may hold fewer; empty blocks travel with the others).
     */
    static List<int[]> groups(long[] blockRows, long batchRows, Random random) {
        int[] order = new int[blockRows.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<int[]> out = new ArrayList<>();
        int from = 0;
        long rows = 0;
        for (int i = 0; i < order.length; i++) {
            rows += blockRows[order[i]];
            if (rows >= batchRows || i == order.length - 1) {
                out.add(java.util.Arrays.copyOfRange(order, from, i + 1));
                from = i + 1;
                rows = 0;
            }
        }
        return out;
    }

    private static SufficientStatistics checked(SufficientStatistics stats) {
        if (!Double.isFinite(stats.meanLogLikelihood())) {
            throw new NumericalFailureException("the mean log-likelihood became " + stats.meanLogLikelihood()
                    + " after mini-batch EM; check the input for extreme values or rescale the features");
        }
        return stats;
    }

    /** Passes the finishing EM iterations on, numbered after the mini-batch passes. */
    private record Renumbered(FitListener inner, int offset) implements FitListener {
        @Override
        public void iteration(int restart, IterationRecord r) {
            inner.iteration(restart, new IterationRecord(offset + r.iteration(), r.meanLogLikelihood(), r.change(),
                    r.seconds(), r.components()));
        }

        @Override
        public void warning(String message) {
            inner.warning(message);
        }
    }
}
