package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.linalg.Cholesky;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Private federated EM on 8 sites of 1500-2500 rows from three components in two dimensions
 * (centres within radius 3), rows clipped to B = 6, 10 rounds, delta = 1e-5, from a start fitted
 * on 300 separate "public" rows.
 */
class PrivateFederatedEmTest {

    static final double B = 6;
    static final int ROUNDS = 10;
    static final double DELTA = 1e-5;
    static final int REPEATS = 10;

    static Scenarios.Scenario scenario;
    static Mixture start;
    static Mixture nonPrivate;
    static FederatedOptions options;

    @BeforeAll
    static void fit() {
        Mixture truth = Scenarios.threeComponents2d(1);
        scenario = Scenarios.iid(truth, 8, 1500, 2500, 0.5, 1);
        double[] publicRows = Scenarios.sample(truth, truth.weights(), 300, new Random(99), null);
        start = EmFitter.fit(InMemoryBlockData.of(publicRows, 2),
                EmOptions.builder(3, CovarianceType.FULL).kernel("java").seed(5).build(), FitListener.NONE).model();
        options = FederatedOptions.defaults().withKernel("java").withMaxRounds(ROUNDS).withTol(0);
        // The same number of M-steps without clipping or noise.
        nonPrivate = FederatedEm.run(scenario.data(), start, options, FitListener.NONE).model();
    }

    private static double heldOut(Mixture m) {
        return Scenarios.heldOutMean(m, scenario.heldOut());
    }

    private static PrivateFederatedEm.Result run(double epsilon, PrivacyOptions.NoisePlacement placement, long seed) {
        return PrivateFederatedEm.run(scenario.data(), start, options,
                PrivacyOptions.of(epsilon, DELTA, B).withPlacement(placement).withSeed(seed), FitListener.NONE);
    }

    @Test
    void aLargeEpsilonIsCloseToTheNonPrivateFit() {
        PrivateFederatedEm.Result r = run(1e6, PrivacyOptions.NoisePlacement.SITE, 1);
        assertTrue(r.noiseMultiplier() > 0 && r.noiseMultiplier() < 0.01, "z = " + r.noiseMultiplier());
        assertEquals(1e6, r.epsilon(), 1e-6 * 1e6);
        MixtureAssertions.assertMixtureClose(nonPrivate, r.model(), 2e-3, "epsilon 1e6");
        assertEquals(heldOut(nonPrivate), heldOut(r.model()), 1e-4);
        assertEquals(ROUNDS, r.rounds().size());
        assertTrue(r.rounds().stream().allMatch(x -> Double.isNaN(x.meanLogLikelihood())),
                "no log-likelihood is released");
        // Up: 3 counts + 6 first moments + 3 x 3 second moments per site; no totals.
        assertEquals(8 * 8L * (3 + 6 + 9), r.rounds().get(0).bytesUp());
    }

    @ParameterizedTest
    @EnumSource(PrivacyOptions.NoisePlacement.class)
    void everyCovarianceIsPositiveDefiniteAndTheBudgetIsSpentExactly(PrivacyOptions.NoisePlacement placement) {
        for (long seed = 0; seed < 5; seed++) {
            PrivateFederatedEm.Result r = run(0.5, placement, seed);
            assertEquals(0.5, r.epsilon(), 1e-9);
            assertEquals(ROUNDS * 3.0 / (2 * r.noiseMultiplier() * r.noiseMultiplier()), r.rho(), 1e-12);
            Mixture m = r.model();
            for (int c = 0; c < m.k(); c++) {
                double[] cov = GaussianAlgebra.fullCovariances(m)[c];
                assertNotNull(Cholesky.lowerFactor(cov, 2), "seed " + seed + ": covariance " + c);
                for (double l : PrivateStatisticsTest.eigenvalues(cov, 2)) {
                    assertTrue(l > 0 && l <= B * B + 1e-3, "eigenvalue " + l);
                }
            }
        }
    }

    @Test
    void theNoiseIsSeeded() {
        Mixture a = run(2, PrivacyOptions.NoisePlacement.SITE, 3).model();
        Mixture b = run(2, PrivacyOptions.NoisePlacement.SITE, 3).model();
        Mixture c = run(2, PrivacyOptions.NoisePlacement.SITE, 4).model();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void diagonalCovariancesWorkToo() {
        double[][] diag = new double[3][];
        for (int c = 0; c < 3; c++) {
            diag[c] = GaussianAlgebra.diagonal(start.covariance(c), 2);
        }
        Mixture diagStart = new Mixture(CovarianceType.DIAG, start.weights(), start.means(), diag);
        PrivateFederatedEm.Result r = PrivateFederatedEm.run(scenario.data(), diagStart, options,
                PrivacyOptions.of(8, DELTA, B), FitListener.NONE);
        assertEquals(CovarianceType.DIAG, r.model().covarianceType());
        Mixture plain = FederatedEm.run(scenario.data(), diagStart, options, FitListener.NONE).model();
        assertTrue(heldOut(plain) - heldOut(r.model()) < 0.1);
    }

    /**
     * The utility table of docs/FEDERATED.md: mean held-out log-likelihood loss against the
     * non-private fit over 10 noise seeds, for both noise placements. Written to
     * target/federated-dp-utility.md.
     */
    @Test
    void utilityLossByEpsilon() throws IOException {
        double[] epsilons = {0.5, 1, 2, 4, 8, Double.POSITIVE_INFINITY};
        PrivacyOptions.NoisePlacement[] placements = PrivacyOptions.NoisePlacement.values();
        double[][] mean = new double[placements.length][epsilons.length];
        double[][] worst = new double[placements.length][epsilons.length];
        double[] z = new double[epsilons.length];
        double base = heldOut(nonPrivate);
        for (int p = 0; p < placements.length; p++) {
            for (int e = 0; e < epsilons.length; e++) {
                for (int seed = 0; seed < REPEATS; seed++) {
                    PrivateFederatedEm.Result r = run(epsilons[e], placements[p], seed);
                    double loss = base - heldOut(r.model());
                    assertTrue(Double.isFinite(loss));
                    mean[p][e] += loss / REPEATS;
                    worst[p][e] = Math.max(worst[p][e], loss);
                    z[e] = r.noiseMultiplier();
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Non-private held-out mean log-likelihood %.4f; public start %.4f "
                + "(loss %.4f).%n%n", base, heldOut(start), base - heldOut(start)));
        table.append("| epsilon | z | loss, site noise: mean (worst) | loss, server noise: mean (worst) |\n");
        table.append("|---|---|---|---|\n");
        for (int e = 0; e < epsilons.length; e++) {
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.4f (%.4f) | %.4f (%.4f) |%n",
                    Double.isInfinite(epsilons[e]) ? "inf" : String.valueOf(epsilons[e]), z[e], mean[0][e],
                    worst[0][e], mean[1][e], worst[1][e]));
        }
        Path out = Path.of("target", "federated-dp-utility.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());

        int inf = epsilons.length - 1;
        for (int p = 0; p < placements.length; p++) {
            assertTrue(Math.abs(mean[p][inf]) < 0.002, "clipping at B = 6 alone should cost almost nothing: "
                    + mean[p][inf]);
            assertTrue(mean[p][4] < mean[p][0] / 3, placements[p] + ": epsilon 8 should lose far less than 0.5\n"
                    + table);
            assertTrue(mean[p][3] < mean[p][0], placements[p] + ": epsilon 4 should lose less than 0.5\n" + table);
        }
        // Noise from every site adds up, so site-side noise never does better than server-side on average.
        for (int e = 0; e < inf; e++) {
            assertTrue(mean[0][e] >= mean[1][e] - 0.02, "epsilon " + epsilons[e] + "\n" + table);
        }
        assertTrue(mean[1][4] < 0.01, "server noise at epsilon 8: " + mean[1][4]);
    }
}
