package io.mixspark.gmm;

/**
 * How a mixture keeps its covariances, and so which shape the likelihood kernels and the
 * statistics passes work with. Several {@link CovarianceType}s share one storage: the constraint
 * between components lives in the M-step, the kernels only see each component's matrix.
 */
public enum CovarianceStorage {
    /** Each component has its own d x d matrix (row-major). */
    FULL,
    /** Each component has its own d variances. */
    DIAG,
    /** Each component has its own single variance: sigma_k^2 I. */
    SPHERICAL,
    /** All components share one d x d matrix. */
    TIED;

    /** Whether the statistics must hold full scatter matrices, not only their diagonals. */
    public boolean fullScatter() {
        return this == FULL || this == TIED;
    }
}
