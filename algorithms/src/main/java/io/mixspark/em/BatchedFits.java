package io.mixspark.em;

import io.mixspark.data.BatchedPasses;
import io.mixspark.data.BlockData;
import io.mixspark.data.Missingness;
import io.mixspark.data.RowCounts;
import io.mixspark.gmm.ConjugatePrior;
import io.mixspark.gmm.DataMomentsPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Prior;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Many EM fits over the same data at once (a model-selection grid), batched so that one pass over
 * the blocks serves every fit still running ({@link BatchedPasses}): first the distinct starts
 * (fits of the same k and seed share one set of centres, whatever their covariance type; the
 * hierarchical start's merge tree is shared by every k too), then
 * every restart of every fit, each iterating until it converges or fails. Each fit ends with the
 * result {@link EmFitter#fit(BlockData, EmOptions, FitListener)} gives it alone: the same starts,
 * the same iterations, the same best restart.
 */
public final class BatchedFits {

    private BatchedFits() {
    }

    /**
     * A fit's result, or why it could not be fitted.
     *
     * @param failure null on success; else an {@link IllegalArgumentException} (its data), a
     *                {@link io.mixspark.gmm.NumericalFailureException}, or another exception (a bug)
     */
    public record Outcome(EmOptions options, EmResult result, RuntimeException failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * @param outcomes one per fit, in the order given
     * @param passes   passes made over the data in all
     */
    public record Batch(List<Outcome> outcomes, int passes) {
    }

    /**
     * Fits every set of options; the listener hears each fit's warnings, fit by fit in the order
     * given, once all are done. Checkpoints are not written.
     *
     * @param maxBatchBytes accumulator bytes one pass may carry ({@link BatchedPasses})
     */
    public static Batch fit(BlockData data, List<EmOptions> fits, FitListener listener, long maxBatchBytes) {
        Missingness missingness = data.aggregate(Missingness.pass(data.dimension()));
        RowCounts counts = missingness.counts();
        boolean labelled = missingness.labelledRows() > 0;
        int n = fits.size();
        RuntimeException[] failures = new RuntimeException[n];
        Map<Initializer.StartKey, Integer> keys = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            EmOptions options = fits.get(i);
            try {
                EmFitter.requireFittable(counts, options);
                EmFitter.requireStartKeepsLabels(options, missingness);
            } catch (IllegalArgumentException e) {
                failures[i] = e;
                continue;
            }
            for (int r = 0; r < restarts(options) && options.initMode() != InitMode.MODEL; r++) {
                keys.putIfAbsent(startKey(options, r), keys.size());
            }
        }
        List<Initializer.StartKey> keyList = new ArrayList<>(keys.keySet());
        List<Function<BlockData, Object>> startTasks = keyList.stream()
                .<Function<BlockData, Object>>map(key -> view -> switch (key.mode()) {
                    case HC -> Initializer.tree(EmFitter.startData(view, missingness), key, counts);
                    case SMALL_EM -> Initializer.shortRunSample(view, missingness, key);
                    default -> Initializer.centres(EmFitter.startData(view, missingness), key, counts);
                })
                .toList();
        BatchedPasses.Run<Object> starts = BatchedPasses.run(data, startTasks, maxBatchBytes);
        // The prior's data moments are the same pass for every fit; only its scale depends on k.
        boolean anyPrior = fits.stream().anyMatch(options -> options.prior() != Prior.NONE);
        SufficientStatistics moments = anyPrior ? EmFitter.startData(data, missingness)
                .aggregate(new DataMomentsPass(missingness.observedMeans())) : null;

        List<Cell> cells = new ArrayList<>();
        AtomicInteger[] firstFailed = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            firstFailed[i] = new AtomicInteger(Integer.MAX_VALUE);
            for (int r = 0; failures[i] == null && r < restarts(fits.get(i)); r++) {
                EmOptions options = fits.get(i);
                BatchedPasses.Outcome<Object> start = options.initMode() == InitMode.MODEL ? null
                        : starts.outcomes().get(keys.get(startKey(options, r)));
                ConjugatePrior prior = options.prior() == Prior.NONE ? null
                        : DataMomentsPass.defaultPrior(moments, options.k());
                cells.add(new Cell(r, options, start, prior, firstFailed[i]));
            }
        }
        List<Function<BlockData, EmResult>> fitTasks = cells.stream()
                .<Function<BlockData, EmResult>>map(cell -> view -> cell.fit(view, missingness, counts, labelled))
                .toList();
        BatchedPasses.Run<EmResult> runs = BatchedPasses.run(data, fitTasks, maxBatchBytes);

        List<Outcome> outcomes = new ArrayList<>(n);
        int next = 0;
        for (int i = 0; i < n; i++) {
            EmOptions options = fits.get(i);
            if (failures[i] != null) {
                outcomes.add(new Outcome(options, null, failures[i]));
                continue;
            }
            int restarts = restarts(options);
            double[] finals = new double[restarts];
            EmResult best = null;
            RuntimeException failure = null;
            for (int r = 0; r < restarts; r++) {
                Cell cell = cells.get(next + r);
                BatchedPasses.Outcome<EmResult> run = runs.outcomes().get(next + r);
                if (failure == null) {
                    // As in a fit alone, the first restart that fails ends the fit; later ones never ran.
                    cell.warnings.forEach(listener::warning);
                    if (!run.succeeded()) {
                        failure = asRuntime(run.failure());
                        continue;
                    }
                    finals[r] = run.value().meanLogLikelihood();
                    if (best == null || run.value().logLikelihood() > best.logLikelihood()) {
                        best = run.value().asRestart(r, finals);
                    }
                }
            }
            next += restarts;
            outcomes.add(failure != null ? new Outcome(options, null, failure)
                    : new Outcome(options, best.asRestart(best.bestRestart(), finals), null));
        }
        return new Batch(List.copyOf(outcomes), 1 + (anyPrior ? 1 : 0) + starts.passes() + runs.passes());
    }

    private static int restarts(EmOptions options) {
        return options.initMode() == InitMode.MODEL ? 1 : options.nInit();
    }

    private static Initializer.StartKey startKey(EmOptions options, int restart) {
        return Initializer.StartKey.of(options, options.seed() + restart, Kernels.passName(options.kernel(), options.precision()));
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** Thrown into a restart whose fit has already failed at an earlier restart: a fit alone would not run it. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("abandoned: an earlier restart of this fit failed", null, false, false);
        }
    }

    /** One restart of one fit, with the warnings it gave. */
    private static final class Cell implements FitListener {
        final int restart;
        final EmOptions options;
        final BatchedPasses.Outcome<Object> start;
        final ConjugatePrior prior;
        /** The lowest restart of this fit that failed so far. */
        final AtomicInteger firstFailed;
        final List<String> warnings = new ArrayList<>();

        Cell(int restart, EmOptions options, BatchedPasses.Outcome<Object> start, ConjugatePrior prior,
             AtomicInteger firstFailed) {
            this.restart = restart;
            this.options = options;
            this.start = start;
            this.prior = prior;
            this.firstFailed = firstFailed;
        }

        EmResult fit(BlockData view, Missingness missingness, RowCounts counts, boolean labelled) {
            String kernel = Kernels.passName(options.kernel(), options.precision());
            try {
                Mixture mixture;
                if (start == null) {
                    mixture = Initializer.initialMixture(view, missingness, options, options.seed() + restart, kernel,
                            prior, this);
                } else if (!start.succeeded()) {
                    throw asRuntime(start.failure());
                } else if (start.value() instanceof Initializer.Tree tree) {
                    mixture = Initializer.fromTree(tree, EmFitter.startData(view, missingness), labelled, options,
                            kernel, prior, this);
                } else if (start.value() instanceof Initializer.ShortRunSample sample) {
                    mixture = Initializer.fromShortRuns(sample, options, options.seed() + restart, kernel, prior);
                } else {
                    mixture = Initializer.fromCentres(EmFitter.startData(view, missingness), (double[]) start.value(),
                            options, kernel, prior, this);
                }
                return EmFitter.run(view, mixture, options, prior, kernel, restart, this, labelled);
            } catch (RuntimeException e) {
                firstFailed.accumulateAndGet(restart, Math::min);
                throw e;
            }
        }

        @Override
        public void iteration(int restart, IterationRecord record) {
            if (firstFailed.get() < this.restart) {
                throw new Abandoned();
            }
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }
}
