package io.mixspark.sdp;

/**
 * The outcome of {@link BurerMonteiroSolver} on partitioned rows: the clusters of the final
 * rounding (their centres and sizes), with the labels themselves left in the partitions.
 *
 * @param k              number of clusters
 * @param d              columns
 * @param r              columns of the factor U
 * @param centres        k x d row-major means of the clusters, on the caller's scale
 * @param sizes          rows per cluster
 * @param objective      &lt;X X^T, U U^T&gt; = ||X^T U||_F^2 on the caller's (uncentred) rows
 * @param iterations     projected-gradient iterations run
 * @param change         last ||dU||_F / sqrt K
 * @param infeasibility  ||U U^T 1 - 1|| / sqrt n of the factor before the last step
 * @param converged      whether change and infeasibility both met the tolerance
 * @param labelsStable   whether the run stopped because the rounded labels settled
 */
public record BurerMonteiroFit(int k, int d, int r, double[] centres, long[] sizes, double objective, int iterations,
        double change, double infeasibility, boolean converged, boolean labelsStable) {
}
