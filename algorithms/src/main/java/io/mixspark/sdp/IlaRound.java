package io.mixspark.sdp;

/**
 * One round of {@link IlaSdp}: covariances from the labels so far, one likelihood-adjusted solve,
 * one rounding. Both values are on the log-likelihood scale, sum_k &lt;A_k, .&gt; - (n d / 2) log 2 pi
 * (see {@code LikelihoodMatrices}), with this round's covariances.
 *
 * @param relaxationValue  sum_k &lt;A_k, Z_k&gt; of the solve: an upper bound of the next value for an
 *                         exact solve; the ADMM iterate is feasible only to its tolerance, and the
 *                         large entries of A_k between distant rows amplify that, so it is indicative
 * @param logLikelihood    the profile Gaussian log-likelihood of the rounded labels
 * @param changedLabels    rows whose label differs from the round's input labels
 * @param iterations       ADMM iterations of the solve
 * @param solverConverged  whether the ADMM met its tolerance
 */
public record IlaRound(double relaxationValue, double logLikelihood, int changedLabels, int iterations,
        boolean solverConverged) {

    public IlaRound {
        if (changedLabels < 0 || iterations < 0) {
            throw new IllegalArgumentException("changedLabels and iterations must be >= 0, got " + changedLabels
                    + " and " + iterations);
        }
    }
}
