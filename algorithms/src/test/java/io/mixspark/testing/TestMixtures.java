package io.mixspark.testing;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.Random;

/** Seeded random mixtures, covariance matrices and rows for tests. */
public final class TestMixtures {

    private TestMixtures() {
    }

    /** A random symmetric positive-definite d x d matrix with eigenvalues roughly in [0.1, 3]. */
    public static double[][] spd(Random random, int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = random.nextGaussian() / Math.sqrt(d);
            }
        }
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int l = 0; l < d; l++) {
                    s += a[i][l] * a[j][l];
                }
                m[i][j] = s + (i == j ? 0.1 + random.nextDouble() : 0);
            }
        }
        // Exact symmetry: the lower triangle is computed the same way, but keep it explicit.
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                m[j][i] = m[i][j];
            }
        }
        return m;
    }

    /** Random positive weights summing to 1. */
    public static double[] weights(Random random, int k) {
        double[] w = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = 0.2 + random.nextDouble();
            sum += w[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] /= sum;
        }
        return w;
    }

    /** A random mixture of the given type: means with spread {@code meanScale}, random covariances. */
    public static Mixture mixture(Random random, CovarianceType type, int k, int d, double meanScale) {
        double[][] means = new double[k][d];
        double[][][] covariances = new double[k][][];
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < d; a++) {
                means[c][a] = meanScale * random.nextGaussian();
            }
            covariances[c] = switch (type.storage()) {
                case FULL, TIED -> spd(random, d);
                case DIAG -> diagonal(random, d);
                case SPHERICAL -> scaledIdentity(0.2 + 2 * random.nextDouble(), d);
            };
        }
        if (type == CovarianceType.TIED) {
            for (int c = 1; c < k; c++) {
                covariances[c] = covariances[0];
            }
        }
        return Mixture.fromFullCovariances(type, weights(random, k), means, covariances);
    }

    /** n x d standard-normal values scaled by {@code scale}, row-major. */
    public static double[] rows(Random random, int n, int d, double scale) {
        double[] out = new double[n * d];
        for (int i = 0; i < out.length; i++) {
            out[i] = scale * random.nextGaussian();
        }
        return out;
    }

    public static double[][] scaledIdentity(double v, int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = v;
        }
        return m;
    }

    private static double[][] diagonal(Random random, int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = 0.2 + 2 * random.nextDouble();
        }
        return m;
    }
}
