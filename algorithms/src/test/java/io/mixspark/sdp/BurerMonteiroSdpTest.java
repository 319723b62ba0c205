package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BurerMonteiroSdpTest {

    /** Run to the authors' 1e-6 tolerance, never stopping on label stability. */
    static final BurerMonteiroOptions TO_TOLERANCE =
            new BurerMonteiroOptions(200000, 10, 1e-3, 1e-6, 50, Integer.MAX_VALUE, 1e-2, 0);

    static java.util.stream.Stream<KMeansSdpTest.ReferenceCase> referenceCases() throws java.io.IOException {
        return KMeansSdpTest.referenceCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void convergedObjectiveAgainstCvxopt(KMeansSdpTest.ReferenceCase c) {
        BurerMonteiroResult bm = BurerMonteiroSdp.fit(DataBlock.of(c.data(), c.d()), c.k(), TO_TOLERANCE);
        assertTrue(bm.converged(), c.name() + " stopped after " + bm.iterations() + " iterations");
        double gap = (c.objective() - bm.objective()) / c.objective();
        if (c.rank() == c.k()) {
            // The SDP optimum is a membership matrix, which a nonnegative rank-2K factor represents.
            assertEquals(0.0, gap, 1e-5, c.name() + ": objective " + bm.objective() + " vs cvxopt " + c.objective());
        } else {
            // U U^T >= 0 with U >= 0 is a restriction of the SDP, so it cannot beat its optimum.
            assertTrue(gap > -1e-5, c.name() + ": objective " + bm.objective() + " above the SDP optimum "
                    + c.objective());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void labelsMatchTheDenseSolverOnReferenceInstances(KMeansSdpTest.ReferenceCase c) {
        DataBlock block = DataBlock.of(c.data(), c.d());
        BurerMonteiroResult bm = BurerMonteiroSdp.fit(block, c.k(), BurerMonteiroOptions.DEFAULTS);
        SdpResult dense = KMeansSdp.fit(block, c.k(), SdpOptions.DEFAULTS);
        assertTrue(bm.labelsStable() || bm.converged(), c.name());
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(dense.labels(), bm.labels()), c.name());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4})
    void labelsMatchTheDenseSolverAboveTheThreshold(long seed) {
        IsotropicMixture data = IsotropicMixture.draw(120, 3, 3, 1.2, 2000 + seed);
        DataBlock block = DataBlock.of(data.x(), 3);
        BurerMonteiroResult bm = BurerMonteiroSdp.fit(block, 3, BurerMonteiroOptions.DEFAULTS.withSeed(seed));
        SdpResult dense = KMeansSdp.fit(block, 3, SdpOptions.DEFAULTS.withTolerance(1e-4));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(dense.labels(), bm.labels()));
        assertTrue(bm.infeasibility() < BurerMonteiroOptions.DEFAULTS.stableInfeasibility());
    }

    @Test
    void projectionAndRowSumIdentity() {
        Random random = new Random(5);
        int n = 7;
        int r = 4;
        double[] u = new double[n * r];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextGaussian();
        }
        BurerMonteiroSdp.project(u, 2);
        double norm = 0;
        for (double v : u) {
            assertTrue(v >= 0);
            norm += v * v;
        }
        assertEquals(2.0, norm, 1e-12);
        double[] s = new double[r];
        double[] us = new double[n];
        double error = BurerMonteiroSdp.rowSumError(u, n, r, s, us);
        // ||U U^T 1 - 1||^2 = s^T (U^T U) s - 2 s^T s + n, the O(r^2) form a distributed pass uses.
        double quadratic = 0;
        double ss = 0;
        for (int a = 0; a < r; a++) {
            ss += s[a] * s[a];
            for (int b = 0; b < r; b++) {
                double g = 0;
                for (int i = 0; i < n; i++) {
                    g += u[i * r + a] * u[i * r + b];
                }
                quadratic += s[a] * g * s[b];
            }
        }
        assertEquals(error * error * n, quadratic - 2 * ss + n, 1e-10);
    }

    @Test
    void factorRoundingMatchesRoundingOfTheProduct() {
        // U = membership / sqrt(size), padded with a zero column: Z = U U^T is the membership matrix.
        int[] truth = {0, 1, 2, 0, 1, 2, 2, 0, 1, 0};
        int n = truth.length;
        int r = 4;
        int[] sizes = {4, 3, 3};
        double[] u = new double[n * r];
        double[] z = new double[n * n];
        for (int i = 0; i < n; i++) {
            u[i * r + truth[i]] = 1 / Math.sqrt(sizes[truth[i]]);
            for (int j = 0; j < n; j++) {
                z[i * n + j] = truth[i] == truth[j] ? 1.0 / sizes[truth[i]] : 0;
            }
        }
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, SdpRounding.roundFactor(u, n, r, 3, new Random(1))));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, SdpRounding.round(z, n, 3, new Random(1))));
        assertThrows(IllegalArgumentException.class, () -> SdpRounding.roundFactor(u, n, r, 5, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> SdpRounding.round(z, n + 1, 3, new Random(1)));
    }

    @Test
    void rejectsBadInputs() {
        DataBlock block = DataBlock.of(new double[] {0, 1, 2}, 1);
        assertThrows(IllegalArgumentException.class, () -> BurerMonteiroSdp.fit(block, 4, BurerMonteiroOptions.DEFAULTS));
        DataBlock weighted = new DataBlock(new double[] {0, 1, 2}, new double[] {1, 1, 3}, 3, 1);
        assertThrows(IllegalArgumentException.class,
                () -> BurerMonteiroSdp.fit(weighted, 2, BurerMonteiroOptions.DEFAULTS));
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
                () -> new BurerMonteiroOptions(10, -1, 1e-3, 1e-6, 50, 4, 1e-2, 0));
        assertTrue(beta.getMessage().contains("got -1"), beta.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BurerMonteiroOptions(10, 10, 1e-3, 1e-6, 50, 1, 1e-2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new BurerMonteiroResult(new int[] {0, 1}, 2, new double[3], 2, 0, 0, 0, 0, true, false));
    }
}
