package io.mixspark.federated;

import io.mixspark.gmm.CovarianceStorage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.Random;

/**
 * Where the rounds of a {@link FederatedFit} start when no model is given: the one-shot
 * reduction (full or diag) brought to the asked covariance type, or, for the private fit, a
 * mixture drawn without looking at the data, so that the start spends no privacy budget.
 */
final class StartingMixtures {

    private StartingMixtures() {
    }

    /**
     * The mixture with another covariance type: the diagonal (diag), the mean variance (spherical)
     * or the weighted mean covariance (tied) of each full covariance.
     */
    static Mixture withCovarianceType(Mixture m, CovarianceType type) {
        if (m.covarianceType() == type) {
            return m;
        }
        int d = m.d();
        double[][][] covs = new double[m.k()][][];
        double[][] tied = new double[d][d];
        for (int c = 0; c < m.k(); c++) {
            double[][] full = m.covarianceMatrix(c);
            double trace = 0;
            for (int a = 0; a < d; a++) {
                trace += full[a][a];
                for (int b = 0; b < d; b++) {
                    tied[a][b] += m.weight(c) * full[a][b];
                }
            }
            covs[c] = switch (type.storage()) {
                case FULL -> full;
                case DIAG -> diagonalMatrix(full, d, -1);
                case SPHERICAL -> diagonalMatrix(full, d, trace / d);
                case TIED -> null;
            };
        }
        if (type.storage() == CovarianceStorage.TIED) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < a; b++) {
                    tied[a][b] = tied[b][a];
                }
            }
            for (int c = 0; c < m.k(); c++) {
                covs[c] = tied;
            }
        }
        return Mixture.fromFullCovariances(type, m.weights(), m.means(), covs);
    }

    /** A diagonal matrix: the diagonal of {@code full}, or {@code value} everywhere when >= 0. */
    private static double[][] diagonalMatrix(double[][] full, int d, double value) {
        double[][] out = new double[d][d];
        for (int a = 0; a < d; a++) {
            out[a][a] = value >= 0 ? value : full[a][a];
        }
        return out;
    }

    /**
     * A start drawn without looking at the data, for the private fit: k means uniform in the ball
     * of radius B/2, each component with covariance (B/2)^2 / d times the identity (a spread of
     * B/2), equal weights. Rows are clipped into the ball of radius B, so this covers them.
     */
    static Mixture random(int k, int d, CovarianceType type, double clipNorm, long seed) {
        Random random = new Random(seed);
        double radius = clipNorm / 2;
        double variance = radius * radius / d;
        double[] weights = new double[k];
        double[][] means = new double[k][d];
        double[][][] covs = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            weights[c] = 1.0 / k;
            double norm = 0;
            for (int a = 0; a < d; a++) {
                means[c][a] = random.nextGaussian();
                norm += means[c][a] * means[c][a];
            }
            double r = radius * Math.pow(random.nextDouble(), 1.0 / d) / Math.max(Math.sqrt(norm), 1e-300);
            for (int a = 0; a < d; a++) {
                means[c][a] *= r;
                covs[c][a][a] = variance;
            }
        }
        return Mixture.fromFullCovariances(type, weights, means, covs);
    }
}
