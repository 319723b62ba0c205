package io.mixspark.sdp;

/**
 * The outcome of {@link BurerMonteiroSdp}.
 *
 * @param labels         cluster of each row, in 0..k-1
 * @param k              number of clusters
 * @param u              the nonnegative factor, row-major n x r (Z = U U^T)
 * @param r              columns of U
 * @param objective      &lt;X X^T, U U^T&gt; = ||X^T U||_F^2 on the caller's (uncentred) rows
 * @param iterations     iterations run
 * @param change         last ||dU||_F / sqrt K
 * @param infeasibility  last ||U U^T 1 - 1|| / sqrt n
 * @param converged      whether change and infeasibility both met the tolerance
 * @param labelsStable   whether the run stopped because the rounded labels settled
 */
public record BurerMonteiroResult(int[] labels, int k, double[] u, int r, double objective, int iterations,
        double change, double infeasibility, boolean converged, boolean labelsStable) {

    public BurerMonteiroResult {
        if (labels == null || u == null) {
            throw new IllegalArgumentException("labels and u are required");
        }
        if (k < 1 || r < k) {
            throw new IllegalArgumentException("need 1 <= k <= r, got k=" + k + ", r=" + r);
        }
        if ((long) labels.length * r != u.length) {
            throw new IllegalArgumentException(labels.length + " rows need an " + labels.length + " x " + r
                    + " factor, got " + u.length + " values");
        }
        for (int label : labels) {
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("labels must lie in 0.." + (k - 1) + ", got " + label);
            }
        }
    }
}
