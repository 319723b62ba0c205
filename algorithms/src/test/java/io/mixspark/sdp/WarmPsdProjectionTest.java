package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;

class WarmPsdProjectionTest {

    private static final int N = 160;

    @Test
    void lowPositiveRankSequenceMatchesTheFullProjection() {
        Random random = new Random(3);
        Spectrum spectrum = new Spectrum(random, 3);
        WarmPsdProjection warm = new WarmPsdProjection(N);
        double[] m = spectrum.matrix();
        for (int step = 0; step < 12; step++) {
            assertMatchesFull(warm, m, "step " + step);
            m = nearby(m, random, 1e-3);
        }
        assertEquals(1, warm.fullCount(), "only the first projection needs the full decomposition");
        assertEquals(11, warm.partialCount());
        assertTrue(warm.choleskyCount() < 11, "a certified margin carries over: " + warm.choleskyCount()
                + " Cholesky certificates for 11 partial projections");
    }

    @Test
    void fewNegativeEigenvaluesProjectByTheNegativePart() {
        Random random = new Random(5);
        Spectrum spectrum = new Spectrum(random, N - 2);
        WarmPsdProjection warm = new WarmPsdProjection(N);
        double[] m = spectrum.matrix();
        for (int step = 0; step < 6; step++) {
            assertMatchesFull(warm, m, "step " + step);
            m = nearby(m, random, 1e-3);
        }
        assertEquals(5, warm.partialCount());
    }

    @Test
    void manyPositiveEigenvaluesFallBackToTheFullDecomposition() {
        Random random = new Random(7);
        WarmPsdProjection warm = new WarmPsdProjection(N);
        // Starts with rank 2, then half the spectrum turns positive: the block would exceed n / 8.
        double[] low = new Spectrum(random, 2).matrix();
        assertMatchesFull(warm, low, "low rank");
        assertMatchesFull(warm, nearby(low, random, 1e-3), "low rank, nearby");
        assertEquals(1, warm.partialCount());
        double[] many = new Spectrum(random, N / 2).matrix();
        assertMatchesFull(warm, many, "half positive");
        assertMatchesFull(warm, nearby(many, random, 1e-3), "half positive, nearby");
        assertEquals(1, warm.partialCount());
        assertEquals(3, warm.fullCount());
    }

    @Test
    void aPositiveEigenvalueOutsideTheBlockIsNotDropped() {
        Random random = new Random(11);
        Spectrum spectrum = new Spectrum(random, 2);
        WarmPsdProjection warm = new WarmPsdProjection(N);
        double[] m = spectrum.matrix();
        assertMatchesFull(warm, m, "start");
        assertMatchesFull(warm, m, "again");
        assertEquals(1, warm.partialCount());
        // The most negative eigenvector lies outside the warm block, and span[V, A V] stays in
        // the block's invariant subspace: only the certificate can notice the new positive value.
        double[] w = spectrum.vector(N - 1);
        double lift = 0.5 - spectrum.values[N - 1];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                m[i * N + j] += lift * w[i] * w[j];
            }
        }
        assertMatchesFull(warm, m, "positive eigenvalue 0.5 outside the block");
        assertEquals(2, warm.fullCount(), "the certificate must reject the block and fall back");
    }

    @Test
    void choleskyAcceptsPositiveDefiniteAndRejectsIndefinite() {
        Random random = new Random(13);
        int n = 37;
        DMatrixRMaj g = RandomMatrices_DDRM.rectangle(n, n, -1, 1, random);
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    s[i * n + j] += g.get(i, k) * g.get(j, k);
                }
            }
            s[i * n + i] += 0.1;
        }
        double[] l = s.clone();
        assertTrue(DenseKernels.choleskyLower(l, n));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int k = 0; k <= j; k++) {
                    sum += l[i * n + k] * l[j * n + k];
                }
                assertEquals(s[i * n + j], sum, 1e-10 * Math.abs(s[i * n + i]));
            }
        }
        double[] indefinite = s.clone();
        for (int i = 0; i < n; i++) {
            indefinite[i * n + i] -= 200;
        }
        assertFalse(DenseKernels.choleskyLower(indefinite, n));
    }

    private static void assertMatchesFull(WarmPsdProjection warm, double[] m, String what) {
        double[] expected = new double[N * N];
        new KMeansSdp.PsdProjection(N).project(m, expected);
        double[] actual = new double[N * N];
        warm.project(m, actual);
        double diff = 0;
        double size = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            size += expected[i] * expected[i];
        }
        double relative = Math.sqrt(diff / size);
        assertTrue(relative < 1e-9, what + ": relative Frobenius difference " + relative);
    }

    /** m + eps E with E symmetric, entries uniform in [-1, 1] / n. */
    private static double[] nearby(double[] m, Random random, double eps) {
        double[] out = m.clone();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j <= i; j++) {
                double e = eps * (2 * random.nextDouble() - 1) / N;
                out[i * N + j] += e;
                if (i != j) {
                    out[j * N + i] += e;
                }
            }
        }
        return out;
    }

    /** Q diag(values) Q^T with a random orthogonal Q; values decreasing, the first `positives` in [1, 5]. */
    private static final class Spectrum {
        final double[] values = new double[N];
        final DMatrixRMaj q;

        Spectrum(Random random, int positives) {
            q = RandomMatrices_DDRM.orthogonal(N, N, random);
            for (int e = 0; e < N; e++) {
                values[e] = e < positives ? 5 - 4.0 * e / positives : -0.1 - 4.9 * (e - positives) / (N - positives);
            }
        }

        double[] vector(int e) {
            double[] v = new double[N];
            for (int i = 0; i < N; i++) {
                v[i] = q.get(i, e);
            }
            return v;
        }

        double[] matrix() {
            double[] m = new double[N * N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = 0;
                    for (int e = 0; e < N; e++) {
                        sum += q.get(i, e) * values[e] * q.get(j, e);
                    }
                    m[i * N + j] = sum;
                    m[j * N + i] = sum;
                }
            }
            return m;
        }
    }
}
