package io.mixspark.em;

import io.mixspark.data.MixtureData;
import io.mixspark.data.RowCounts;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * Expectation-maximisation for Gaussian mixtures (Dempster, Laird and Rubin, 1977) over any
 * {@link MixtureData}: one pass over the blocks per iteration, then the M-step on the driver.
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
    public static EmResult fit(MixtureData data, EmOptions options, FitListener listener) {
        String kernel = Kernels.named(options.kernel()).name();
        RowCounts counts = data.aggregate(RowCounts.pass());
        if (counts.rows() < options.k()) {
            throw new IllegalArgumentException("a mixture of k = " + options.k() + " components needs at least "
                    + options.k() + " rows, the data has " + counts.rows());
        }
        if (!(counts.totalWeight() > 0)) {
            throw new IllegalArgumentException("the row weights sum to " + counts.totalWeight() + "; it must be > 0");
        }
        int restarts = options.initMode() == InitMode.MODEL ? 1 : options.nInit();
        EmResult best = null;
        double[] finals = new double[restarts];
        for (int r = 0; r < restarts; r++) {
            listener.restartStarted(r, restarts);
            Mixture start = Initializer.initialMixture(data, options, options.seed() + r, counts, kernel, listener);
            EmResult result = run(data, start, options, kernel, r, listener);
            finals[r] = result.meanLogLikelihood();
            if (best == null || result.logLikelihood() > best.logLikelihood()) {
                best = result.asRestart(r, finals);
            }
        }
        return best.asRestart(best.bestRestart(), finals);
    }

    /** EM from a given mixture, without restarts. */
    public static EmResult run(MixtureData data, Mixture start, EmOptions options, String kernel, int restart,
                               FitListener listener) {
        Mixture model = start;
        List<IterationRecord> history = new ArrayList<>();
        double previous = Double.NaN;
        for (int iteration = 1; iteration <= options.maxIter(); iteration++) {
            long t0 = System.nanoTime();
            SufficientStatistics stats = data.aggregate(new ExpectationPass(model, kernel));
            double mean = checkedMean(stats, iteration);
            double change = iteration == 1 ? Double.NaN : mean - previous;
            boolean converged = iteration > 1 && Math.abs(change) < options.tol();
            Mixture next = converged ? model
                    : MStep.update(stats, options.covarianceType(), options.regCovar(), listener::warning);
            IterationRecord record = new IterationRecord(iteration, mean, change, (System.nanoTime() - t0) / 1e9,
                    model.k());
            history.add(record);
            listener.iteration(restart, record);
            if (converged) {
                return EmResult.of(model, history, true, stats, kernel);
            }
            previous = mean;
            model = next;
        }
        SufficientStatistics last = data.aggregate(new ExpectationPass(model, kernel));
        checkedMean(last, options.maxIter() + 1);
        return EmResult.of(model, history, false, last, kernel);
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
