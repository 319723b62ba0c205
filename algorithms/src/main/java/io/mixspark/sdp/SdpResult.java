package io.mixspark.sdp;

/**
 * The outcome of a k-means SDP solve and its rounding.
 *
 * @param labels           cluster of each row, in 0..k-1
 * @param k                number of clusters
 * @param objective        &lt;X X^T, Z&gt; of the returned Z on the caller's (uncentred) data
 * @param iterations       ADMM iterations run
 * @param primalResidual   relative primal residual at the end (see {@link KMeansSdp})
 * @param dualResidual     relative dual residual at the end
 * @param converged        whether both residuals fell below the tolerance
 * @param z                the solution, row-major n x n: the ADMM's PSD iterate, nonnegative and
 *                         affine-feasible up to the primal residual
 * @param certificate      the dual bound on the k-means cost and whether it certifies the labels
 *                         optimal ({@link KMeansSdpCertificate}), or null
 */
public record SdpResult(int[] labels, int k, double objective, int iterations, double primalResidual,
        double dualResidual, boolean converged, double[] z, KMeansSdpCertificate certificate) {

    /** A result without a certificate. */
    public SdpResult(int[] labels, int k, double objective, int iterations, double primalResidual,
            double dualResidual, boolean converged, double[] z) {
        this(labels, k, objective, iterations, primalResidual, dualResidual, converged, z, null);
    }

    public SdpResult {
        if (labels == null || z == null) {
            throw new IllegalArgumentException("labels and z are required");
        }
        if ((long) labels.length * labels.length != z.length) {
            throw new IllegalArgumentException(labels.length + " labels need an " + labels.length + " x "
                    + labels.length + " solution, got " + z.length + " values");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        for (int label : labels) {
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("labels must lie in 0.." + (k - 1) + ", got " + label);
            }
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
    }

    /** Number of rows. */
    public int n() {
        return labels.length;
    }
}
