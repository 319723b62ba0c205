package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.metrics.ClusteringMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KMeansSdpTest {

    /** One case of reference/sdp_kmeans.json, written by make_sdp_reference.py with cvxopt. */
    record ReferenceCase(String name, int n, int d, int k, double[] data, int[] truth, double objective,
            double minEntry, double minEigenvalue, double rowSumError, int rank) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ReferenceCase> referenceCases() throws IOException {
        try (InputStream in = KMeansSdpTest.class.getResourceAsStream("/reference/sdp_kmeans.json")) {
            assertNotNull(in, "missing test resource reference/sdp_kmeans.json");
            List<ReferenceCase> cases = new ObjectMapper().readValue(in, new TypeReference<List<ReferenceCase>>() {
            });
            assertEquals(4, cases.size());
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void objectiveMatchesCvxopt(ReferenceCase c) {
        SdpResult result = KMeansSdp.fit(DataBlock.of(c.data(), c.d()), c.k(),
                SdpOptions.DEFAULTS.withTolerance(1e-6).withMaxIterations(20000));
        assertTrue(result.converged(), c.name() + " did not converge in " + result.iterations() + " iterations");
        double gap = Math.abs(result.objective() - c.objective()) / Math.abs(c.objective());
        assertTrue(gap < 1e-4, c.name() + ": objective " + result.objective() + " vs cvxopt " + c.objective()
                + ", relative gap " + gap);
        assertFeasible(result.z(), c.n(), c.k(), 1e-4);
    }

    @Test
    void separatedClustersGiveTheMembershipMatrix() {
        Random random = new Random(11);
        int n = 30;
        int k = 3;
        int[] truth = new int[n];
        double[] x = new double[n * 2];
        for (int i = 0; i < n; i++) {
            truth[i] = i % k;
            x[2 * i] = 10 * truth[i] + 0.3 * random.nextGaussian();
            x[2 * i + 1] = -5 * truth[i] * truth[i] + 0.3 * random.nextGaussian();
        }
        SdpResult result = KMeansSdp.fit(DataBlock.of(x, 2), k, SdpOptions.DEFAULTS);
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, result.labels()));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double expected = truth[i] == truth[j] ? 1.0 / (n / k) : 0.0;
                assertEquals(expected, result.z()[i * n + j], 1e-4, "Z[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void affineProjectionIsFeasibleAndIdempotent() {
        Random random = new Random(3);
        int n = 9;
        int k = 4;
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                m[i * n + j] = m[j * n + i] = random.nextGaussian();
            }
        }
        double[] p = new double[n * n];
        KMeansSdp.projectAffine(m, p, n, k);
        double trace = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += p[i * n + j];
                assertEquals(p[i * n + j], p[j * n + i], 1e-12);
            }
            assertEquals(1.0, sum, 1e-12);
            trace += p[i * n + i];
        }
        assertEquals(k, trace, 1e-12);
        double[] again = new double[n * n];
        KMeansSdp.projectAffine(p, again, n, k);
        assertArrayEquals(p, again, 1e-12);
        // The step m - p is orthogonal to the set: <m - p, q - p> = 0 for another feasible q.
        double[] q = KMeansSdp.feasibleStart(n, k);
        double inner = 0;
        for (int i = 0; i < n * n; i++) {
            inner += (m[i] - p[i]) * (q[i] - p[i]);
        }
        assertEquals(0.0, inner, 1e-10);
    }

    @Test
    void psdProjectionClipsNegativeEigenvalues() {
        // diag(3, -2, 1, -1) rotated by a Householder reflection H = I - 2 v v^T / v^T v.
        int n = 4;
        double[] lambda = {3, -2, 1, -1};
        double[] v = {1, 2, -1, 0.5};
        double vv = 0;
        for (double e : v) {
            vv += e * e;
        }
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i * n + j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv;
            }
        }
        double[] m = new double[n * n];
        double[] expected = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < n; e++) {
                    m[i * n + j] += h[i * n + e] * lambda[e] * h[j * n + e];
                    expected[i * n + j] += h[i * n + e] * Math.max(lambda[e], 0) * h[j * n + e];
                }
            }
        }
        double[] out = new double[n * n];
        new KMeansSdp.PsdProjection(n).project(m, out);
        assertArrayEquals(expected, out, 1e-10);
        // Mostly positive: the solver subtracts the negative part instead; same answer.
        double[] flipped = {3, 2, 1, -1};
        double[] m2 = new double[n * n];
        double[] expected2 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < n; e++) {
                    m2[i * n + j] += h[i * n + e] * flipped[e] * h[j * n + e];
                    expected2[i * n + j] += h[i * n + e] * Math.max(flipped[e], 0) * h[j * n + e];
                }
            }
        }
        new KMeansSdp.PsdProjection(n).project(m2, out);
        assertArrayEquals(expected2, out, 1e-10);
    }

    @Test
    void kEqualToOneAndToN() {
        double[] x = {0, 1, 5, 2, 7};
        SdpResult one = KMeansSdp.fit(DataBlock.of(x, 1), 1, SdpOptions.DEFAULTS);
        assertArrayEquals(new int[5], one.labels());
        // Z = 1 1^T / n is the only feasible point, so the objective is (sum x)^2 / n.
        assertEquals(15.0 * 15.0 / 5, one.objective(), 1e-4);
        SdpResult all = KMeansSdp.fit(DataBlock.of(x, 1), 5, SdpOptions.DEFAULTS);
        assertEquals(0 + 1 + 25 + 4 + 49, all.objective(), 1e-12);
        assertEquals(5, java.util.Arrays.stream(all.labels()).distinct().count());
    }

    @Test
    void rejectsBadInputs() {
        DataBlock block = DataBlock.of(new double[] {0, 1, 2}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KMeansSdp.fit(block, 4, SdpOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("got 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KMeansSdp.fit(block, 0, SdpOptions.DEFAULTS));
        DataBlock weighted = new DataBlock(new double[] {0, 1, 2}, new double[] {1, 2, 1}, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> KMeansSdp.fit(weighted, 2, SdpOptions.DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> new SdpOptions(0, 1e-6, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SdpOptions(10, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SdpOptions(10, 1e-6, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SdpResult(new int[] {0, 2}, 2, 0, 0, 0, 0, true, new double[4]));
    }

    /** Z is PSD up to tol (trace of the negative part), nonnegative, rows sum to 1, trace K. */
    static void assertFeasible(double[] z, int n, int k, double tol) {
        double trace = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += z[i * n + j];
                assertTrue(z[i * n + j] > -tol, "Z[" + i + "," + j + "] = " + z[i * n + j]);
            }
            assertEquals(1.0, sum, tol, "row sum " + i);
            trace += z[i * n + i];
        }
        assertEquals(k, trace, tol * k);
        double[] projected = new double[n * n];
        new KMeansSdp.PsdProjection(n).project(z, projected);
        for (int i = 0; i < n * n; i++) {
            assertEquals(projected[i], z[i], tol, "Z is not PSD");
        }
    }
}
