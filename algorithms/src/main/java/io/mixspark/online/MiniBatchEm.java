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
 * for a few passes, then full EM iterations until batch EM's convergence test holds (at most
 * {@code finishIterations}), which take the stochastic noise out of the last steps. A step is never
 * below its group's share of the table, so a group holding the whole table takes a batch EM
 * iteration. It starts from EM's own start ({@link EmFitter#initialMixture}), so the two can be
 * compared from the same mixture.
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
        int restarts = options.nInit();
        double[] finals = new double[restarts];
        EmResult best = null;
        int bestRestart = 0;
        for (int r = 0; r < restarts; r++) {
            listener.restartStarted(r, restarts);
            Mixture start = EmFitter.initialMixture(data, options, r, listener, missingness);
            EmResult result = run(data, missingness.counts().totalWeight(), start, options, miniBatch, r, listener,
                    (model, pass) -> { });
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
        return run(data, start, options, miniBatch, listener, (model, pass) -> { });
    }

    /**
     * As {@link #run(BlockData, Mixture, EmOptions, MiniBatchOptions, FitListener)}, handing the model
     * after each step (numbered from 1 across passes) to {@code afterStep}, for callers that measure
     * its progress (the time they take counts in the pass's seconds).
     */
    public static EmResult run(BlockData data, Mixture start, EmOptions options, MiniBatchOptions miniBatch,
                               FitListener listener, ObjIntConsumer<Mixture> afterStep) {
        double tableWeight = data.aggregate(Missingness.pass(data.dimension())).counts().totalWeight();
        return run(data, tableWeight, start, options, miniBatch, 0, listener, afterStep);
    }

    /** @param tableWeight the weight of the rows EM fits: the whole of which a group's weight is a share */
    private static EmResult run(BlockData data, double tableWeight, Mixture start, EmOptions options,
                                MiniBatchOptions miniBatch, int restart, FitListener listener,
                                ObjIntConsumer<Mixture> afterStep) {
        OnlineEmOptions online = OnlineEmOptions.builder(start.k(), options.covarianceType())
                .regCovar(options.regCovar()).stepExponent(miniBatch.stepExponent())
                .stepOffset(miniBatch.stepOffset()).seed(options.seed() + restart).kernel(options.kernel()).build();
        String kernel = Kernels.passName(options.kernel(), options.precision());
        OnlineEmState state = OnlineEmState.startingFrom(start);
        List<IterationRecord> history = new ArrayList<>();
        double previous = Double.NaN;
        long[] blockRows = data.blockRows();
        IncrementalEm incremental = null;
        List<int[]> fixedGroups = null;
        if (miniBatch.update() == MiniBatchOptions.Update.INCREMENTAL) {
            fixedGroups = groups(blockRows, miniBatch.batchRows(), new Random(RowHash.remix(options.seed() + restart,
                    0)));
            long bytes = IncrementalEm.bytes(fixedGroups.size(), start.k(), data.dimension(),
                    options.covarianceType().needsFullScatter());
            if (bytes > MiniBatchOptions.INCREMENTAL_MEMORY_BYTES) {
                throw new IncrementalMemoryException(fixedGroups.size(), bytes);
            }
            incremental = new IncrementalEm(data, fixedGroups, start, options, kernel, listener::warning);
        }
        for (int pass = 1; pass <= miniBatch.passes(); pass++) {
            long t0 = System.nanoTime();
            Random shuffle = new Random(RowHash.remix(options.seed() + restart, pass));
            double logLikelihood = 0;
            double weight = 0;
            int k;
            if (incremental != null) {
                k = incremental.model().k();
                int step = (pass - 1) * fixedGroups.size();
                for (int i : order(fixedGroups.size(), shuffle)) {
                    SufficientStatistics summary = incremental.step(i);
                    if (!summary.isEmpty() && summary.totalWeight() > 0) {
                        logLikelihood += summary.logLikelihood();
                        weight += summary.totalWeight();
                    }
                    afterStep.accept(incremental.model(), ++step);
                }
                state = OnlineEmState.startingFrom(incremental.model());
            } else {
                k = state.k();
                for (int[] group : groups(blockRows, miniBatch.batchRows(), shuffle)) {
                    BatchSummary summary = data.aggregate(OnlineEm.summaryPass(state, data.dimension(), online), group);
                    if (summary.totalWeight() > 0) {
                        logLikelihood += summary.logLikelihood();
                        weight += summary.totalWeight();
                    }
                    state = OnlineEm.update(state, summary, state.lastBatchId() + 1, online, listener::warning,
                            share(summary.totalWeight(), tableWeight));
                    afterStep.accept(state.model(), (int) state.updates());
                }
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

    /** 0 .. n - 1 in a shuffled order. */
    private static int[] order(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
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

    /**
     * The group's share of the table's weight (of its rows, without a weight column): the least
     * step it takes. Its statistics are exact for that share, so a smaller step would throw away
     * what it measured. A group that holds the whole table takes step 1, which is one batch EM
     * iteration; for smaller groups the floor is a heuristic, not incremental EM: the share the step
     * replaces is a share of all earlier groups' statistics, not this group's own earlier ones.
     */
    static double share(double groupWeight, double tableWeight) {
        return tableWeight > 0 ? Math.min(1.0, groupWeight / tableWeight) : 0;
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
