package io.mixspark.gmm;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/** Random mixtures with known structure, for synthetic data sets and tests. */
public final class RandomMixtures {

    private RandomMixtures() {
    }

    /**
     * A mixture whose means are drawn from N(0, separation^2 I) and whose covariances have
     * eigenvalues in [0.5, 2] (random orientations for full and tied). Weights are uniform
     * draws in [1, 2], normalised, so no component is tiny. The models other than the four
     * scikit-learn ones draw volume, shape and orientation separately, shared where the model
     * says Equal: volumes in [0.5, 2], shape values in [0.5, 2] scaled to determinant 1.
     */
    public static Mixture draw(int k, int d, CovarianceType type, double separation, Random random) {
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("k and d must be >= 1, got k=" + k + ", d=" + d);
        }
        if (type.univariate() && d != 1) {
            throw new IllegalArgumentException("the covariance model " + type.id() + " is for one feature, got d=" + d);
        }
        if (!(separation >= 0) || Double.isInfinite(separation)) {
            throw new IllegalArgumentException("separation must be a finite number >= 0, got " + separation);
        }
        double[] weights = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            weights[c] = 1 + random.nextDouble();
            sum += weights[c];
        }
        double[][] means = new double[k][d];
        double[][] covariances = new double[k][];
        double[] shared = type == CovarianceType.EEE ? rotatedCovariance(d, random) : null;
        for (int c = 0; c < k; c++) {
            weights[c] /= sum;
            for (int a = 0; a < d; a++) {
                means[c][a] = separation * random.nextGaussian();
            }
            covariances[c] = switch (type) {
                case VVV -> rotatedCovariance(d, random);
                case EEE -> shared;
                case VVI -> {
                    double[] v = new double[d];
                    for (int a = 0; a < d; a++) {
                        v[a] = eigenvalue(random);
                    }
                    yield v;
                }
                case VII -> new double[] {eigenvalue(random)};
                default -> null;
            };
        }
        if (covariances[0] == null) {
            covariances = decomposed(type, k, d, random);
        }
        return new Mixture(type, weights, means, covariances);
    }

    /** Sigma_k = lambda_k D_k A_k D_k^T, each part drawn once when the model shares it. */
    private static double[][] decomposed(CovarianceType type, int k, int d, Random random) {
        String letters = type.univariate() ? type.id() + "II" : type.id();
        double[] volume = new double[k];
        double[][] shape = new double[k][];
        double[][] orientation = new double[k][];
        for (int c = 0; c < k; c++) {
            volume[c] = letters.charAt(0) == 'E' && c > 0 ? volume[0] : eigenvalue(random);
            shape[c] = letters.charAt(1) == 'E' && c > 0 ? shape[0] : shape(letters.charAt(1), d, random);
            orientation[c] = letters.charAt(2) == 'E' && c > 0 ? orientation[0]
                    : letters.charAt(2) == 'I' ? Dense.identity(d) : rotatedCovariance(d, random, true);
        }
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            double[] values = Dense.scaled(shape[c], volume[c]);
            out[c] = switch (type.storage()) {
                case SPHERICAL -> new double[] {volume[c]};
                case DIAG -> values;
                case FULL, TIED -> Dense.compose(orientation[c], values, d);
            };
        }
        return out;
    }

    private static double[] shape(char letter, int d, Random random) {
        double[] a = new double[d];
        java.util.Arrays.fill(a, 1.0);
        if (letter != 'I') {
            for (int j = 0; j < d; j++) {
                a[j] = eigenvalue(random);
            }
            a = Dense.scaled(a, 1.0 / Dense.geometricMean(a));
        }
        return a;
    }

    private static double eigenvalue(Random random) {
        return 0.5 + 1.5 * random.nextDouble();
    }

    /** Q diag(lambda) Q^T with Q the orthogonal factor of a Gaussian matrix. */
    private static double[] rotatedCovariance(int d, Random random) {
        return rotatedCovariance(d, random, false);
    }

    /** @param rotationOnly return Q itself rather than Q diag(lambda) Q^T */
    private static double[] rotatedCovariance(int d, Random random, boolean rotationOnly) {
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        for (int i = 0; i < d * d; i++) {
            g.data[i] = random.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(d, d);
        qr.decompose(g);
        DMatrixRMaj q = qr.getQ(null, false);
        if (rotationOnly) {
            return q.data;
        }
        DMatrixRMaj scaled = q.copy();
        for (int j = 0; j < d; j++) {
            double lambda = eigenvalue(random);
            for (int i = 0; i < d; i++) {
                scaled.set(i, j, scaled.get(i, j) * lambda);
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(scaled, q, cov);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (cov.get(i, j) + cov.get(j, i));
                cov.set(i, j, v);
                cov.set(j, i, v);
            }
        }
        return cov.data;
    }
}
