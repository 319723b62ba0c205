package io.mixspark.sdp;

/**
 * One start of {@link IlaSdp#fit} and where its rounds ended.
 *
 * @param name      {@code kmeans-sdp}, {@code em} or {@code random-<i>}
 * @param objective the objective at the end of its rounds: the Gaussian log-likelihood of the final
 *                  labels with the clusters' means and shrunk covariances (larger is better)
 * @param rounds    rounds run
 * @param converged whether a round left every label unchanged
 * @param seconds   wall-clock time of its rounds (and of making the start)
 */
public record IlaStart(String name, double objective, int rounds, boolean converged, double seconds) {

    public IlaStart {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a start needs a name");
        }
    }
}
