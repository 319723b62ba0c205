package io.mixspark.sdp;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.List;

/**
 * The outcome of {@link IlaSdp}.
 *
 * @param labels        cluster of each row that was clustered (for a sketch, of each sampled row in
 *                      hash order), in 0..k-1
 * @param k             number of clusters
 * @param mixture       full-covariance Gaussians of the final clusters (means, shrunk covariances,
 *                      proportions); its MAP rule labels any row, which is the lift
 * @param initialLabels the labels the rounds started from
 * @param rounds        one record per round run
 * @param converged     whether a round left every label unchanged
 * @param objective     the Gaussian log-likelihood of the labels with the mixture's means and shrunk
 *                      covariances (no proportions), which the rounds climb; the starts compete on it
 *                      and on its cross-validated counterpart ({@link IlaSelection})
 * @param shrinkage     the shrinkage of each of the mixture's covariances
 * @param starts        every start tried, in order, with its final objective (one for
 *                      {@link IlaSdp#fitFrom})
 * @param winningStart  the name of the start these labels came from
 */
public record IlaSdpResult(int[] labels, int k, Mixture mixture, int[] initialLabels, List<IlaRound> rounds,
        boolean converged, double objective, List<ClusterShrinkage> shrinkage, List<IlaStart> starts,
        String winningStart) {

    public IlaSdpResult {
        if (labels == null || mixture == null || initialLabels == null || rounds == null || shrinkage == null
                || starts == null || winningStart == null) {
            throw new IllegalArgumentException("labels, mixture, initialLabels, rounds, shrinkage, starts and the"
                    + " winning start are required");
        }
        if (shrinkage.size() != k) {
            throw new IllegalArgumentException("expected the shrinkage of " + k + " clusters, got " + shrinkage.size());
        }
        if (k < 1 || mixture.k() != k || mixture.covarianceType() != CovarianceType.FULL) {
            throw new IllegalArgumentException("expected a full-covariance mixture of k = " + k + " components, got "
                    + mixture);
        }
        if (initialLabels.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + initialLabels.length
                    + " initial labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("labels must lie in 0.." + (k - 1) + ", got " + label);
            }
        }
        rounds = List.copyOf(rounds);
        shrinkage = List.copyOf(shrinkage);
        starts = List.copyOf(starts);
    }

    /** The same fit, reporting every start that competed and the one it came from. */
    IlaSdpResult withStarts(List<IlaStart> all, String winner) {
        return new IlaSdpResult(labels, k, mixture, initialLabels, rounds, converged, objective, shrinkage, all,
                winner);
    }

    /** Number of rows clustered. */
    public int n() {
        return labels.length;
    }

    /** The profile log-likelihood of the rounded labels after each round. */
    public double[] objectives() {
        return rounds.stream().mapToDouble(IlaRound::logLikelihood).toArray();
    }
}
