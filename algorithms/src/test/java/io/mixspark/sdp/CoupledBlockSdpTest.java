package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoupledBlockSdpTest {

    static double[][] randomSymmetric(int k, int n, Random random) {
        double[][] m = new double[k][n * n];
        for (double[] block : m) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    block[i * n + j] = block[j * n + i] = random.nextGaussian();
                }
            }
        }
        return m;
    }

    /** The non-informative feasible start: the Peng-Wei start alpha I + beta 1 1^T split evenly. */
    static double[][] evenStart(int n, int k) {
        double[] whole = KMeansSdp.feasibleStart(n, k);
        double[][] z = new double[k][n * n];
        for (int b = 0; b < k; b++) {
            for (int i = 0; i < n * n; i++) {
                z[b][i] = whole[i] / k;
            }
        }
        return z;
    }

    @Test
    void affineProjectionIsFeasibleIdempotentAndOrthogonal() {
        Random random = new Random(2);
        int n = 7;
        int k = 3;
        double[][] m = randomSymmetric(k, n, random);
        double[][] p = new double[k][n * n];
        CoupledBlockSdp.projectAffine(m, p, n);
        double[] rowSums = new double[n];
        for (int b = 0; b < k; b++) {
            double trace = 0;
            for (int i = 0; i < n; i++) {
                trace += p[b][i * n + i];
                for (int j = 0; j < n; j++) {
                    rowSums[i] += p[b][i * n + j];
                    assertEquals(p[b][i * n + j], p[b][j * n + i], 1e-12);
                }
            }
            assertEquals(1.0, trace, 1e-12, "trace of block " + b);
        }
        for (double sum : rowSums) {
            assertEquals(1.0, sum, 1e-12);
        }
        double[][] again = new double[k][n * n];
        CoupledBlockSdp.projectAffine(p, again, n);
        for (int b = 0; b < k; b++) {
            assertArrayEquals(p[b], again[b], 1e-12);
        }
        // <m - p, q - p> = 0 for other feasible points q: membership matrices and the even start.
        int[] labels = {0, 1, 2, 2, 1, 0, 0};
        for (double[][] q : new double[][][] {CoupledBlockSdp.memberships(labels, k), evenStart(n, k)}) {
            double inner = 0;
            for (int b = 0; b < k; b++) {
                for (int i = 0; i < n * n; i++) {
                    inner += (m[b][i] - p[b][i]) * (q[b][i] - p[b][i]);
                }
            }
            assertEquals(0.0, inner, 1e-10);
        }
    }

    @Test
    void withIdentityCovariancesItIsTheKMeansSdp() {
        // All S_k = I: sum_k Z_k solves the Peng-Wei SDP, so one round gives the k-means SDP labels.
        IsotropicMixture data = IsotropicMixture.draw(60, 3, 3, 1.5, 17);
        DataBlock points = DataBlock.of(data.x(), 3);
        SdpOptions options = SdpOptions.DEFAULTS.withTolerance(1e-5);
        SdpResult kMeans = KMeansSdp.fit(points, 3, options);
        double[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        double[][] a = LikelihoodMatrices.of(points, new double[][] {identity, identity, identity});
        CoupledBlockSdp.Solution solve = CoupledBlockSdp.solve(a, 60, evenStart(60, 3), null, options);
        assertTrue(solve.converged(), "no convergence in " + solve.iterations() + " iterations");
        int[] labels = IlaRounding.SPECTRAL.round(solve.z(), 60, new Random(0));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(kMeans.labels(), labels));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(data.truth(), labels));
        double[] sum = new double[60 * 60];
        for (double[] block : solve.z()) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += block[i];
            }
        }
        assertArrayEquals(kMeans.z(), sum, 2e-3);
    }

    @Test
    void separatedShapesGiveTheMembershipMatrices() {
        // Two clusters of different covariances, solved from the even start with the true S_k: the
        // relaxation is tight, each block is B_k, and both roundings read the truth.
        Random random = new Random(6);
        int n = 40;
        double[] x = new double[n * 2];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            double scale = truth[i] == 0 ? 0.3 : 1.5;
            x[2 * i] = 8 * truth[i] + scale * random.nextGaussian();
            x[2 * i + 1] = scale * random.nextGaussian();
        }
        double[][] covariances = {{0.09, 0, 0, 0.09}, {2.25, 0, 0, 2.25}};
        double[][] a = LikelihoodMatrices.of(DataBlock.of(x, 2), covariances);
        CoupledBlockSdp.Solution solve = CoupledBlockSdp.solve(a, n, evenStart(n, 2), null,
                SdpOptions.DEFAULTS.withTolerance(1e-6));
        assertTrue(solve.converged());
        double[][] expected = CoupledBlockSdp.memberships(truth, 2);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(expected[b], solve.z()[b], 1e-3, "block " + b);
        }
        assertArrayEquals(truth, IlaRounding.MEMBERSHIP_MASS.round(solve.z(), n, new Random(1)));
        assertArrayEquals(truth, IlaRounding.SPECTRAL.round(solve.z(), n, new Random(1)));
        double relaxation = LikelihoodMatrices.value(a, solve.z());
        assertEquals(LikelihoodMatrices.membershipValue(a, truth), relaxation, 1e-3 * Math.abs(relaxation));
    }
}
