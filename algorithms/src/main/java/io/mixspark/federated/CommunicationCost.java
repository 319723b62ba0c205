package io.mixspark.federated;

import io.mixspark.gmm.CovarianceStorage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;

/**
 * What travels in a round, counted in doubles (8 bytes each; a long counts as one). Symmetric
 * matrices travel as their lower triangle, and the centres of the statistics are not sent back
 * because the server knows them (they are the means it sent down).
 */
public final class CommunicationCost {

    /** Bytes per double. */
    public static final long BYTES_PER_DOUBLE = 8;

    /** Log-likelihood, total row weight and row count sent with every site's statistics. */
    static final int STATISTICS_TOTALS = 3;

    private CommunicationCost() {
    }

    /** Covariance values of one component: d(d+1)/2 (full), d (diag), 1 (spherical). */
    static long covarianceDoubles(CovarianceType type, int d) {
        return switch (type.storage()) {
            case FULL, TIED -> (long) d * (d + 1) / 2;
            case DIAG -> d;
            case SPHERICAL -> 1;
        };
    }

    /** A mixture sent down: k weights, k d means and the covariances (tied ones once). */
    public static long modelDoubles(Mixture model) {
        int k = model.k();
        int d = model.d();
        CovarianceType type = model.covarianceType();
        long covariances = type.storage() == CovarianceStorage.TIED ? covarianceDoubles(type, d)
                : k * covarianceDoubles(type, d);
        return k + (long) k * d + covariances;
    }

    /**
     * The moments a site sends up: k counts, k d first moments and k scatters (lower triangle
     * for full and tied, diagonal otherwise).
     */
    public static long momentDoubles(int k, int d, CovarianceType type) {
        long scatter = type.needsFullScatter() ? (long) d * (d + 1) / 2 : d;
        return k + (long) k * d + k * scatter;
    }

    /** A site's E-step statistics: the moments plus log-likelihood, total weight and rows. */
    public static long statisticsDoubles(int k, int d, CovarianceType type) {
        return momentDoubles(k, d, type) + STATISTICS_TOTALS;
    }
}
