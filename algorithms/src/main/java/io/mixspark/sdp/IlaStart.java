package io.mixspark.sdp;

/**
 * One start of {@link IlaSdp#fit} and where it ended. The winner is chosen by {@link IlaSelection}.
 *
 * @param name           {@code kmeans-sdp}, {@code em}, {@code em-ridge} or {@code random-<i>}
 * @param startObjective the objective of the start's labels after the polish (the polished labels
 *                       are ranked by {@link IlaSelection} to decide which run the SDP rounds)
 * @param objective      the objective at the end: the Gaussian log-likelihood of the final labels
 *                       with the clusters' means and shrunk covariances (larger is better)
 * @param heldOut        the cross-validated log-likelihood of the final labels ({@link IlaSelection}),
 *                       NaN when a cluster is missing from some fold's training rows
 * @param rounds         SDP rounds run (0 for a start that was not among the best polished ones)
 * @param converged      whether a round left every label unchanged
 * @param seconds        wall-clock time of making the start, its polish and its rounds
 */
public record IlaStart(String name, double startObjective, double objective, double heldOut, int rounds,
        boolean converged, double seconds) {

    public IlaStart {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a start needs a name");
        }
    }
}
