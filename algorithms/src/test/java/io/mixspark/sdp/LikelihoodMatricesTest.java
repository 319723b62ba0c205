package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mixspark.data.DataBlock;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The identity behind iLA-SDP: sum_k &lt;A_k, B_k&gt; = (profile Gaussian log-likelihood of the
 * labelling) + (n d / 2) log 2 pi, for any covariances.
 */
class LikelihoodMatricesTest {

    static final int N = 40;
    static final int D = 3;
    static final int K = 3;

    static double[] rows(Random random) {
        double[] x = new double[N * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * random.nextGaussian() + (i % D);
        }
        return x;
    }

    static int[] labels(Random random) {
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i < K ? i : random.nextInt(K);
        }
        return labels;
    }

    /** A random symmetric positive-definite matrix M M^T + I/2. */
    static double[] spd(Random random) {
        DMatrixRMaj m = new DMatrixRMaj(D, D);
        for (int i = 0; i < D * D; i++) {
            m.data[i] = random.nextGaussian();
        }
        DMatrixRMaj out = new DMatrixRMaj(D, D);
        CommonOps_DDRM.multTransB(m, m, out);
        for (int i = 0; i < D; i++) {
            out.data[i * D + i] += 0.5;
        }
        return out.data;
    }

    /** sum_i log N(x_i; mean of its cluster, S of its cluster), by EJML's inverse and determinant. */
    static double profileLogLikelihood(double[] x, int[] labels, double[][] covariances) {
        double[][] means = new double[K][D];
        int[] counts = new int[K];
        for (int i = 0; i < N; i++) {
            counts[labels[i]]++;
            for (int a = 0; a < D; a++) {
                means[labels[i]][a] += x[i * D + a];
            }
        }
        double total = 0;
        for (int c = 0; c < K; c++) {
            DMatrixRMaj s = DMatrixRMaj.wrap(D, D, covariances[c].clone());
            double logDet = Math.log(CommonOps_DDRM.det(s));
            DMatrixRMaj inverse = new DMatrixRMaj(D, D);
            CommonOps_DDRM.invert(s, inverse);
            for (int i = 0; i < N; i++) {
                if (labels[i] != c) {
                    continue;
                }
                double quadratic = 0;
                for (int a = 0; a < D; a++) {
                    for (int b = 0; b < D; b++) {
                        quadratic += (x[i * D + a] - means[c][a] / counts[c]) * inverse.get(a, b)
                                * (x[i * D + b] - means[c][b] / counts[c]);
                    }
                }
                total += -0.5 * (quadratic + logDet + D * Math.log(2 * Math.PI));
            }
        }
        return total;
    }

    @Test
    void membershipValueIsTheProfileLogLikelihoodPlusAConstant() {
        Random random = new Random(21);
        for (int trial = 0; trial < 5; trial++) {
            double[] x = rows(random);
            int[] labels = labels(random);
            double[][] covariances = {spd(random), spd(random), spd(random)};
            double[][] a = LikelihoodMatrices.of(DataBlock.of(x, D), covariances);
            double expected = profileLogLikelihood(x, labels, covariances);
            double value = LikelihoodMatrices.membershipValue(a, labels);
            assertEquals(expected, value - LikelihoodMatrices.gaussianConstant(N, D), 1e-9 * Math.abs(expected),
                    "trial " + trial);
            // The same through the explicit membership matrices B_k.
            assertEquals(value, LikelihoodMatrices.value(a, CoupledBlockSdp.memberships(labels, K)),
                    1e-9 * Math.abs(value));
        }
    }

    @Test
    void atTheSampleCovariancesItIsTheClosedFormProfile() {
        // With S_k the ML covariance of G_k, the profile is -1/2 sum_k |G_k| (log det S_k + d (1 + log 2 pi)).
        Random random = new Random(4);
        double[] x = rows(random);
        int[] labels = labels(random);
        DataBlock points = DataBlock.of(x, D);
        double[][] covariances = new double[K][];
        double expected = 0;
        for (int c = 0; c < K; c++) {
            int count = 0;
            double[] mean = new double[D];
            for (int i = 0; i < N; i++) {
                if (labels[i] == c) {
                    count++;
                    for (int a = 0; a < D; a++) {
                        mean[a] += x[i * D + a];
                    }
                }
            }
            double[] s = new double[D * D];
            for (int i = 0; i < N; i++) {
                if (labels[i] == c) {
                    for (int a = 0; a < D; a++) {
                        for (int b = 0; b < D; b++) {
                            s[a * D + b] += (x[i * D + a] - mean[a] / count) * (x[i * D + b] - mean[b] / count) / count;
                        }
                    }
                }
            }
            covariances[c] = s;
            expected -= 0.5 * count * (Math.log(CommonOps_DDRM.det(DMatrixRMaj.wrap(D, D, s.clone())))
                    + D * (1 + Math.log(2 * Math.PI)));
        }
        double[][] a = LikelihoodMatrices.of(points, covariances);
        double value = LikelihoodMatrices.membershipValue(a, labels) - LikelihoodMatrices.gaussianConstant(N, D);
        assertEquals(expected, value, 1e-9 * Math.abs(expected));
    }

    @Test
    void matricesAreSymmetricWithTheLogDeterminantOnTheDiagonal() {
        Random random = new Random(8);
        double[] s = spd(random);
        double[][] a = LikelihoodMatrices.of(DataBlock.of(rows(random), D), new double[][] {s});
        double logDet = Math.log(CommonOps_DDRM.det(DMatrixRMaj.wrap(D, D, s.clone())));
        for (int i = 0; i < N; i++) {
            assertEquals(-0.5 * logDet, a[0][i * N + i], 1e-12);
            for (int j = 0; j < i; j++) {
                assertEquals(a[0][i * N + j], a[0][j * N + i], 1e-9);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> LikelihoodMatrices.of(DataBlock.of(rows(random), D), new double[][] {new double[D * D]}));
        assertThrows(IllegalArgumentException.class,
                () -> LikelihoodMatrices.of(DataBlock.of(rows(random), D), new double[][] {new double[4]}));
    }
}
