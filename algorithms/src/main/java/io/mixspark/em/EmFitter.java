package io.mixspark.em;

import io.mixspark.data.BlockData;
import io.mixspark.data.ContentDigest;
import io.mixspark.data.ImputedBlockData;
import io.mixspark.data.Missingness;
import io.mixspark.data.RowCounts;
import io.mixspark.gmm.ConjugatePrior;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.DataMomentsPass;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * Expectation-maximisation for Gaussian mixtures (Dempster, Laird and Rubin, 1977) over any
 * {@link BlockData}: one pass over the blocks per iteration, then the M-step on the driver.
 *
 * <p>Iteration j evaluates the mixture after j - 1 updates (the same numbering as
 * scikit-learn's lower bound). The fit stops when the mean log-likelihood per row changes by
 * less than {@code tol} and returns the mixture it just evaluated, so the reported
 * log-likelihood is exactly the returned model's.
 */
public final class EmFitter {

    private EmFitter() {
    }

    /** Fits with {@code nInit} restarts (seeds seed, seed + 1, ...) and keeps the best. */
    public static EmResult fit(BlockData data, EmOptions options, FitListener listener) {
        return fit(data, options, listener, null);
    }

    /**
     * Like {@link #fit(BlockData, EmOptions, FitListener)}, saving checkpoints and, when the
     * policy says so, resuming from the latest one to the same result as an uninterrupted fit.
     *
     * @param checkpoints null for none
     * @throws IllegalArgumentException if the checkpoint to resume was written by another fit
     */
    public static EmResult fit(BlockData data, EmOptions options, FitListener listener,
                               EmCheckpoint.Policy checkpoints) {
        return fit(data, options, listener, checkpoints, data.aggregate(Missingness.pass(data.dimension())));
    }

    /**
     * As {@link #fit(BlockData, EmOptions, FitListener, EmCheckpoint.Policy)}, for a caller that
     * has already made the data's {@link Missingness} pass (to report it), so it is not made twice.
     */
    public static EmResult fit(BlockData data, EmOptions options, FitListener listener,
                               EmCheckpoint.Policy checkpoints, Missingness missingness) {
        String kernel = Kernels.passName(options.kernel(), options.precision());
        // Rows with missing values take part with their observed values; rows with none are left out.
        RowCounts counts = missingness.counts();
        BlockData startData = startData(data, missingness);
        requireFittable(counts, options);
        requireStartKeepsLabels(options, missingness);
        String fingerprint = EmCheckpoint.fingerprintOf(options);
        FitData fitData = checkpoints == null ? null : new FitData(checkpoints.features(), data.dimension(),
                counts.rows(), counts.totalWeight(), ContentDigest.hex(missingness.digest()));
        EmCheckpoint resumed = resumable(checkpoints, fingerprint, fitData, listener);
        ConjugatePrior prior = priorOf(startData, options, missingness.observedMeans());
        int restarts = options.initMode() == InitMode.MODEL ? 1 : options.nInit();
        EmResult best = resumed == null ? null : resumed.best();
        double[] finals = new double[restarts];
        int first = 0;
        if (resumed != null) {
            System.arraycopy(resumed.finished(), 0, finals, 0, Math.min(restarts, resumed.finished().length));
            first = resumed.restart();
        }
        for (int r = first; r < restarts; r++) {
            listener.restartStarted(r, restarts);
            boolean continuing = resumed != null && r == resumed.restart() && resumed.model() != null;
            Mixture start = continuing ? resumed.model()
                    : Initializer.initialMixture(data, missingness, options, options.seed() + r, kernel, prior,
                            listener);
            Progress progress = continuing
                    ? new Progress(resumed.iteration(), resumed.previousMean(), resumed.history())
                    : new Progress(0, Double.NaN, List.of());
            Saver saver = checkpoints == null ? null : new Saver(checkpoints, fingerprint, fitData, r, best,
                    finals);
            EmResult result = run(data, start, progress, options, prior, kernel, r, listener, saver,
                    missingness.labelledRows() > 0, !missingness.hasMissing());
            finals[r] = result.meanLogLikelihood();
            if (best == null || result.logLikelihood() > best.logLikelihood()) {
                best = result.asRestart(r, finals);
            }
            if (checkpoints != null) {
                checkpoints.store().save(new EmCheckpoint(fingerprint, fitData, r + 1, 0, null, Double.NaN, List.of(),
                        best, java.util.Arrays.copyOf(finals, r + 1)));
            }
        }
        return best.asRestart(best.bestRestart(), finals);
    }

    /**
     * The mixture restart {@code restart} of {@link #fit} starts from (seed {@code seed + restart}), for
     * fitters that share EM's starts: the data's missingness is counted in a pass of its own.
     *
     * @throws IllegalArgumentException if the data has fewer rows than components, or no weight
     */
    public static Mixture initialMixture(BlockData data, EmOptions options, int restart, FitListener listener) {
        return initialMixture(data, options, restart, listener, data.aggregate(Missingness.pass(data.dimension())));
    }

    /** As {@link #initialMixture(BlockData, EmOptions, int, FitListener)}, with the data's missingness counted. */
    public static Mixture initialMixture(BlockData data, EmOptions options, int restart, FitListener listener,
                                         Missingness missingness) {
        RowCounts counts = missingness.counts();
        requireFittable(counts, options);
        BlockData startData = startData(data, missingness);
        ConjugatePrior prior = priorOf(startData, options, missingness.observedMeans());
        return Initializer.initialMixture(data, missingness, options, options.seed() + restart,
                Kernels.passName(options.kernel(), options.precision()), prior, listener);
    }

    /**
     * A fit needs at least k rows, a positive total weight, and a model the prior (if any) is
     * defined for.
     */
    static void requireFittable(RowCounts counts, EmOptions options) {
        if (counts.rows() < options.k()) {
            throw new IllegalArgumentException("a mixture of k = " + options.k() + " components needs at least "
                    + options.k() + " rows, the data has " + counts.rows());
        }
        if (!(counts.totalWeight() > 0)) {
            throw new IllegalArgumentException("the row weights sum to " + counts.totalWeight() + "; it must be > 0");
        }
        if (options.prior() != Prior.NONE && Prior.refusal(options.covarianceType()) != null) {
            throw new IllegalArgumentException(Prior.refusal(options.covarianceType()));
        }
    }

    /**
     * The data the starts read (all but the small-EM start's short runs, which are EM with
     * missing values): with missing values filled in when there are any.
     */
    static BlockData startData(BlockData data, Missingness missingness) {
        return missingness.hasMissing() ? new ImputedBlockData(data, startFill(missingness)) : data;
    }

    /**
     * What a missing value reads as in the start: its column's observed mean, rounded to float.
     * The starts sample rows by a hash of their values ({@code RowHash}), and a mean summed in
     * another order (another partitioning) can differ in its last bits; rounded, it agrees unless
     * it lies within a few ulps of a float rounding boundary.
     */
    static double[] startFill(Missingness missingness) {
        double[] means = missingness.observedMeans();
        for (int a = 0; a < means.length; a++) {
            means[a] = (float) means[a];
        }
        return means;
    }

    /** The small-EM start's short runs see no labels, so its components need not be the ones labels name. */
    static void requireStartKeepsLabels(EmOptions options, Missingness missingness) {
        if (options.initMode() == InitMode.SMALL_EM && missingness.labelledRows() > 0) {
            throw new IllegalArgumentException("the small-EM start does not keep the components that known labels"
                    + " name; start rows with known labels from another init mode");
        }
    }

    /** EM from a given mixture, without restarts. */
    public static EmResult run(BlockData data, Mixture start, EmOptions options, String kernel, int restart,
                               FitListener listener) {
        ConjugatePrior prior = options.prior() == Prior.NONE ? null
                : priorOf(data, options, data.aggregate(Missingness.pass(data.dimension())).observedMeans());
        return run(data, start, new Progress(0, Double.NaN, List.of()), options, prior, kernel, restart, listener,
                null, false, false);
    }

    /**
     * EM from a given mixture, without restarts or checkpoints, as restart {@code restart} of a
     * fit with the given prior (null for none).
     */
    static EmResult run(BlockData data, Mixture start, EmOptions options, ConjugatePrior prior, String kernel,
                        int restart, FitListener listener, boolean labelled) {
        return run(data, start, new Progress(0, Double.NaN, List.of()), options, prior, kernel, restart, listener,
                null, labelled, false);
    }

    /**
     * mclust's default prior for this fit, from one pass for the data's moments (about the
     * column means already known), or null without a prior.
     */
    private static ConjugatePrior priorOf(BlockData data, EmOptions options, double[] columnMeans) {
        if (options.prior() == Prior.NONE) {
            return null;
        }
        return DataMomentsPass.defaultPrior(data.aggregate(new DataMomentsPass(columnMeans)), options.k());
    }

    /** Where a restart's EM loop stands: iterations done, the last mean, the history. */
    private record Progress(int iteration, double previousMean, List<IterationRecord> history) {
    }

    /** Saves a checkpoint every so many iterations of one restart. */
    private record Saver(EmCheckpoint.Policy policy, String fingerprint, FitData data, int restart, EmResult best,
                         double[] finished) {
        void after(int iteration, Mixture next, double mean, List<IterationRecord> history) {
            if (iteration % policy.every() == 0) {
                policy.store().save(new EmCheckpoint(fingerprint, data, restart, iteration, next, mean, history, best,
                        java.util.Arrays.copyOf(finished, restart)));
            }
        }
    }

    /**
     * The store's checkpoint when it was written by this fit: the same settings and the same
     * data. Another fit's stops this one, or is passed over with a warning (and replaced by this
     * fit's first save) as the policy says.
     */
    private static EmCheckpoint resumable(EmCheckpoint.Policy policy, String fingerprint, FitData data,
                                          FitListener listener) {
        if (policy == null || !policy.resume()) {
            return null;
        }
        EmCheckpoint.Store store = policy.store();
        String mismatch;
        EmCheckpoint checkpoint = null;
        try {
            checkpoint = store.load();
            store.notes().forEach(listener::warning);
            if (checkpoint == null) {
                return null;
            }
            List<String> differences = new ArrayList<>();
            if (!checkpoint.fingerprint().equals(fingerprint)) {
                differences.add("the settings differ: the checkpoint's are " + checkpoint.fingerprint()
                        + ", this fit's " + fingerprint);
            }
            differences.addAll(checkpoint.data().differences(data));
            mismatch = differences.isEmpty() ? null : "the checkpoint " + store.source()
                    + " was written by another fit: " + String.join("; ", differences);
        } catch (EmCheckpoint.MismatchException e) {
            mismatch = e.getMessage();
        }
        if (mismatch == null) {
            listener.resumed(store.source(), checkpoint.restart(), checkpoint.iteration());
            return checkpoint;
        }
        if (policy.onMismatch() == EmCheckpoint.OnMismatch.RESTART) {
            listener.warning(mismatch + "; starting afresh");
            return null;
        }
        throw new EmCheckpoint.MismatchException(mismatch);
    }

    /**
     * @param labelled whether rows carry known components, whose indexes a dropped component would shift
     * @param complete whether the data's missing values were counted and there are none, so the
     *                 E-steps need not search the blocks for them
     */
    private static EmResult run(BlockData data, Mixture start, Progress progress, EmOptions options,
                                ConjugatePrior prior, String kernel, int restart, FitListener listener, Saver saver,
                                boolean labelled, boolean complete) {
        Mixture model = start;
        // The OAS intensities the M-step built the current model with; null for a start or a resumed model.
        double[] applied = null;
        List<IterationRecord> history = new ArrayList<>(progress.history());
        double previous = progress.previousMean();
        for (int iteration = progress.iteration() + 1; iteration <= options.maxIter(); iteration++) {
            long t0 = System.nanoTime();
            SufficientStatistics stats = data.aggregate(eStep(model, kernel, complete));
            double mean = checkedMean(stats, iteration);
            double change = iteration == 1 ? Double.NaN : mean - previous;
            boolean converged = iteration > 1 && Math.abs(change) < options.tol();
            MStep.Update update = converged ? null
                    : MStep.updateShrunk(stats, options.covarianceType(), options.regCovar(), options.shrinkage(),
                            prior, listener::warning, model);
            Mixture next = converged ? model : update.mixture();
            if (labelled && next.k() < model.k()) {
                throw new NumericalFailureException("a component lost its mass in a fit with known labels, which would"
                        + " renumber the labelled components; fit fewer components");
            }
            IterationRecord record = new IterationRecord(iteration, mean, change, (System.nanoTime() - t0) / 1e9,
                    model.k());
            history.add(record);
            listener.iteration(restart, record);
            if (converged) {
                return withIntensities(EmResult.of(model, history, true, stats, kernel), applied, stats, options);
            }
            previous = mean;
            model = next;
            applied = update.intensities();
            if (saver != null) {
                saver.after(iteration, model, previous, history);
            }
        }
        SufficientStatistics last = data.aggregate(eStep(model, kernel, complete));
        checkedMean(last, options.maxIter() + 1);
        return withIntensities(EmResult.of(model, history, false, last, kernel), applied, last, options);
    }

    private static ExpectationPass eStep(Mixture model, String kernel, boolean complete) {
        return complete ? ExpectationPass.overCompleteRows(model, kernel) : new ExpectationPass(model, kernel);
    }

    /**
     * The result with the shrinkage intensities its model was built with; for a model no M-step of
     * this run built (a start, or a resumed one), those the statistics of its final E-step give.
     */
    private static EmResult withIntensities(EmResult result, double[] applied, SufficientStatistics last,
                                            EmOptions options) {
        if (options.shrinkage() == CovarianceShrinkage.NONE) {
            return result;
        }
        return result.withShrinkageIntensities(applied != null ? applied
                : MStep.intensities(last, options.covarianceType()));
    }

    private static double checkedMean(SufficientStatistics stats, int iteration) {
        double mean = stats.meanLogLikelihood();
        if (!Double.isFinite(mean)) {
            throw new NumericalFailureException("the mean log-likelihood became " + mean + " at iteration "
                    + iteration + "; check the input for extreme values or rescale the features");
        }
        return mean;
    }
}
