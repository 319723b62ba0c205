package io.mixspark.em;

import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.select.InformationCriteria;
import java.io.Serializable;
import java.util.List;

/**
 * The outcome of an EM fit: the best restart's mixture and how it got there.
 *
 * @param model             the fitted mixture
 * @param history           one record per iteration of the winning restart
 * @param converged         whether the change fell below tol before maxIter
 * @param logLikelihood     total weighted log-likelihood of {@code model}
 * @param totalWeight       sum of the row weights
 * @param rows              number of rows
 * @param bic               Bayesian information criterion (smaller is better)
 * @param aic               Akaike information criterion
 * @param icl               integrated completed likelihood
 * @param bestRestart       0-based index of the winning restart
 * @param restartLogLikelihoods final mean log-likelihood of every restart
 * @param kernel            name of the likelihood kernel that ran
 * @param shrinkageIntensities the OAS intensity rho_k of each component of {@code model} at its final E-step
 *                          ({@link MStep#intensities}), empty for a fit without covariance shrinkage
 */
public record EmResult(Mixture model, List<IterationRecord> history, boolean converged, double logLikelihood,
                       double totalWeight, long rows, double bic, double aic, double icl, int bestRestart,
                       double[] restartLogLikelihoods, String kernel, double[] shrinkageIntensities)
        implements Serializable {

    public EmResult {
        shrinkageIntensities = shrinkageIntensities == null ? new double[0] : shrinkageIntensities.clone();
    }

    /** A result without covariance shrinkage. */
    public EmResult(Mixture model, List<IterationRecord> history, boolean converged, double logLikelihood,
                    double totalWeight, long rows, double bic, double aic, double icl, int bestRestart,
                    double[] restartLogLikelihoods, String kernel) {
        this(model, history, converged, logLikelihood, totalWeight, rows, bic, aic, icl, bestRestart,
                restartLogLikelihoods, kernel, new double[0]);
    }

    /** Builds a result from the statistics of the final model's E-step. */
    public static EmResult of(Mixture model, List<IterationRecord> history, boolean converged, SufficientStatistics last,
                       String kernel) {
        double bic = InformationCriteria.bic(last.logLikelihood(), model.parameterCount(), last.totalWeight());
        return new EmResult(model, List.copyOf(history), converged, last.logLikelihood(), last.totalWeight(),
                last.rows(), bic, InformationCriteria.aic(last.logLikelihood(), model.parameterCount()),
                InformationCriteria.icl(bic, last.sumLogMaxResponsibility()), 0,
                new double[] {last.meanLogLikelihood()}, Kernels.reportedName(kernel));
    }

    /** Mean log-likelihood per unit row weight. */
    public double meanLogLikelihood() {
        return logLikelihood / totalWeight;
    }

    /** Number of EM iterations run by the winning restart. */
    public int iterations() {
        return history.size();
    }

    /** Whether the fit shrank its covariances ({@link #shrinkageIntensities} is not empty). */
    public boolean shrunk() {
        return shrinkageIntensities.length > 0;
    }

    /** This result with the shrinkage intensities of its model. */
    public EmResult withShrinkageIntensities(double[] intensities) {
        return new EmResult(model, history, converged, logLikelihood, totalWeight, rows, bic, aic, icl, bestRestart,
                restartLogLikelihoods, kernel, intensities);
    }

    EmResult asRestart(int restart, double[] allRestarts) {
        return new EmResult(model, history, converged, logLikelihood, totalWeight, rows, bic, aic, icl, restart,
                allRestarts.clone(), kernel, shrinkageIntensities);
    }
}
