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
        double differ = ClusteringMetrics.misclusteringRate(dense.labels(), bm.labels());
        if (c.rank() == c.k()) {
            assertEquals(0.0, differ, c.name());
        } else {
            // Not tight: the optimum is no membership matrix, and the roundings of two near-optimal
            // points may part on a boundary row (overlapping_n30: 1 row of 30).
            assertTrue(differ <= 1.0 / 30 + 1e-12, c.name() + ": " + differ);
        }
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
    void returnedFactorIsFeasibleAndReportsItsOwnObjective() {
        IsotropicMixture data = IsotropicMixture.draw(90, 4, 3, 1.2, 77);
        DataBlock block = DataBlock.of(data.x(), 4);
        BurerMonteiroResult bm = BurerMonteiroSdp.fit(block, 3, BurerMonteiroOptions.DEFAULTS.withSeed(3));
        int n = block.rows();
        int r = bm.r();
        double[] u = bm.u();
        double norm = 0;
        for (double v : u) {
            assertTrue(v >= 0);
            norm += v * v;
        }
        assertEquals(3.0, norm, 1e-9);
        // The objective the solver derives from its d x r sums equals ||X^T U||_F^2 computed row by row.
        double objective = 0;
        for (int a = 0; a < 4; a++) {
            for (int j = 0; j < r; j++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += data.x()[i * 4 + a] * u[i * r + j];
                }
                objective += sum * sum;
            }
        }
        assertEquals(objective, bm.objective(), 1e-9 * objective);
        double[] rowSums = new double[n];
        double error = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < r; c++) {
                    rowSums[i] += u[i * r + c] * u[j * r + c];
                }
            }
            error += (rowSums[i] - 1) * (rowSums[i] - 1);
        }
        assertTrue(Math.sqrt(error / n) < BurerMonteiroOptions.DEFAULTS.stableInfeasibility(), "Z 1 = 1 off by "
                + Math.sqrt(error / n));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 40})
    void blocksDoNotChangeTheSolution(int blockRows) {
        IsotropicMixture data = IsotropicMixture.draw(120, 3, 3, 1.2, 2024);
        BurerMonteiroOptions options = BurerMonteiroOptions.DEFAULTS.withSeed(1);
        BurerMonteiroResult whole = BurerMonteiroSdp.fit(DataBlock.of(data.x(), 3), 3, options);
        try (InMemoryFactorData split = new InMemoryFactorData(
                io.mixspark.data.InMemoryBlockData.of(data.x(), null, 3, blockRows))) {
            BurerMonteiroFit fit = BurerMonteiroSolver.solve(split, 3, options, null);
            assertEquals(whole.iterations(), fit.iterations());
            assertEquals(whole.objective(), fit.objective(), 1e-9 * whole.objective());
            assertEquals(0.0, ClusteringMetrics.misclusteringRate(whole.labels(), split.labels()));
        }
    }

    /** The solver scales the rows itself, so the units of the data do not change its path. */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 10, 1000})
    void unitsOfTheDataDoNotMatter(double units) {
        IsotropicMixture data = IsotropicMixture.draw(300, 5, 4, 1.2, 8);
        double[] scaled = data.x().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= units;
        }
        BurerMonteiroResult plain = BurerMonteiroSdp.fit(DataBlock.of(data.x(), 5), 4, BurerMonteiroOptions.DEFAULTS);
        BurerMonteiroResult rescaled = BurerMonteiroSdp.fit(DataBlock.of(scaled, 5), 4, BurerMonteiroOptions.DEFAULTS);
        assertTrue(rescaled.labelsStable());
        assertEquals(plain.iterations(), rescaled.iterations());
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(plain.labels(), rescaled.labels()));
        // Rounding differs in the last bits once scaled, and the nonsmooth steps amplify it over the
        // run, so the objective is compared to 1e-3 relative, not to rounding (docs/SDP.md, "Checks").
        assertEquals(plain.objective() * units * units, rescaled.objective(), 1e-3 * rescaled.objective());
    }

    @Test
    void warmStartFromTheTruthKeepsIt() {
        IsotropicMixture data = IsotropicMixture.draw(150, 3, 3, 1.2, 31);
        double[] centres = new double[9];
        int[] counts = new int[3];
        for (int i = 0; i < 150; i++) {
            counts[data.truth()[i]]++;
            for (int a = 0; a < 3; a++) {
                centres[data.truth()[i] * 3 + a] += data.x()[i * 3 + a];
            }
        }
        for (int i = 0; i < 9; i++) {
            centres[i] /= counts[i / 3];
        }
        try (InMemoryFactorData rows = new InMemoryFactorData(io.mixspark.data.InMemoryBlockData.of(data.x(), 3))) {
            BurerMonteiroFit warm = BurerMonteiroSolver.solve(rows, 3, BurerMonteiroOptions.DEFAULTS, centres);
            assertTrue(warm.labelsStable());
            assertEquals(0.0, ClusteringMetrics.misclusteringRate(data.truth(), rows.labels()));
            BurerMonteiroResult cold = BurerMonteiroSdp.fit(DataBlock.of(data.x(), 3), 3, BurerMonteiroOptions.DEFAULTS);
            assertTrue(warm.iterations() <= cold.iterations(), warm.iterations() + " vs " + cold.iterations());
        }
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
