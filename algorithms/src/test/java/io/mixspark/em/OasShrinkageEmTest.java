package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.LogLikelihoodPass;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EM with OAS covariance shrinkage on few rows per component relative to d: three clusters
 * elongated along random directions in d = 30 ({@link ElongatedClusters}, mean sd 1, long sd 6).
 * The settings were looked at on mixture seeds 1-5 only; the tests draw seeds 11-18.
 */
class OasShrinkageEmTest {

    private static final int D = 30;
    private static final int K = 3;

    private static EmOptions.Builder full(long seed) {
        return EmOptions.builder(K, CovarianceType.FULL).kernel("java").seed(seed).nInit(3);
    }

    private static double heldOut(EmResult fit, double[] rows) {
        return InMemoryBlockData.of(rows, D).aggregate(new LogLikelihoodPass(fit.model(), "java")).mean();
    }

    /** With 150 rows per component for 465 covariance parameters, ML overfits; OAS predicts new rows better. */
    @Test
    void shrinkageBeatsTheDefaultRidgeOnHeldOutRows() {
        double gapMl = 0;
        double gapOas = 0;
        StringBuilder seen = new StringBuilder();
        for (long seed = 11; seed <= 18; seed++) {
            ElongatedClusters mixture = ElongatedClusters.mixture(K, D, 1.0, 6.0, seed);
            double[] train = mixture.rows(150, 1000 + seed, null);
            double[] test = mixture.rows(150, 2000 + seed, null);
            EmResult ml = EmFitter.fit(InMemoryBlockData.of(train, D), full(seed).build(), FitListener.NONE);
            EmResult oas = EmFitter.fit(InMemoryBlockData.of(train, D),
                    full(seed).shrinkage(CovarianceShrinkage.OAS).build(), FitListener.NONE);
            double heldMl = heldOut(ml, test);
            double heldOas = heldOut(oas, test);
            seen.append(String.format(Locale.ROOT, " seed %d: %.3f vs %.3f;", seed, heldOas, heldMl));
            assertTrue(heldOas > heldMl, "held-out mean log-likelihood with OAS " + heldOas + ", with regCovar 1e-6 "
                    + heldMl + " (mixture seed " + seed + ")");
            gapMl += ml.meanLogLikelihood() - heldMl;
            gapOas += oas.meanLogLikelihood() - heldOas;
            assertEquals(K, oas.shrinkageIntensities().length);
            for (double rho : oas.shrinkageIntensities()) {
                assertTrue(rho > 0 && rho < 1, "rho " + rho);
            }
            assertEquals(0, ml.shrinkageIntensities().length);
        }
        assertTrue(gapOas < gapMl, "train minus held-out log-likelihood, summed: OAS " + gapOas + ", ML " + gapMl
                + ";" + seen);
    }

    /** 20 rows per component in d = 30: every ML covariance is singular, the shrunk ones are not. */
    @Test
    void shrinkageFitsWhereMaximumLikelihoodHasNoCovariance() {
        ElongatedClusters mixture = ElongatedClusters.mixture(K, D, 3.0, 6.0, 21);
        InMemoryBlockData data = InMemoryBlockData.of(mixture.rows(20, 1021, null), D);
        assertThrows(NumericalFailureException.class,
                () -> EmFitter.fit(data, full(21).regCovar(0).build(), FitListener.NONE));
        EmResult oas = EmFitter.fit(data, full(21).regCovar(0).shrinkage(CovarianceShrinkage.OAS).build(),
                FitListener.NONE);
        assertTrue(Double.isFinite(oas.logLikelihood()), "log-likelihood " + oas.logLikelihood());
        for (double rho : oas.shrinkageIntensities()) {
            assertTrue(rho > 0.1, "a component of 20 rows in d = 30 is shrunk hard, got rho " + rho);
        }
    }

    /** The reported intensities are those the M-step applies to the final model's statistics. */
    @Test
    void reportedIntensitiesRebuildTheFinalModel() {
        ElongatedClusters mixture = ElongatedClusters.mixture(K, D, 1.0, 6.0, 31);
        InMemoryBlockData data = InMemoryBlockData.of(mixture.rows(150, 1031, null), D);
        EmOptions options = full(31).nInit(1).tol(1e-10).maxIter(500).shrinkage(CovarianceShrinkage.OAS).build();
        EmResult fit = EmFitter.fit(data, options, FitListener.NONE);
        assertTrue(fit.converged());
        var stats = data.aggregate(new io.mixspark.gmm.ExpectationPass(fit.model(), "java"));
        var again = io.mixspark.gmm.MStep.update(stats, CovarianceType.FULL, options.regCovar(),
                CovarianceShrinkage.OAS, null, message -> { }, fit.model());
        for (int c = 0; c < K; c++) {
            assertArrayEquals(fit.model().covariance(c), again.covariance(c), 1e-6);
        }
        assertArrayEquals(io.mixspark.gmm.MStep.intensities(stats, CovarianceType.FULL), fit.shrinkageIntensities());
    }

    @Test
    void tiedShrinksThePooledCovarianceByOneIntensity() {
        ElongatedClusters mixture = ElongatedClusters.mixture(K, D, 3.0, 6.0, 41);
        InMemoryBlockData data = InMemoryBlockData.of(mixture.rows(40, 1041, null), D);
        EmResult fit = EmFitter.fit(data, EmOptions.builder(K, CovarianceType.TIED).kernel("java").seed(41)
                .shrinkage(CovarianceShrinkage.OAS).build(), FitListener.NONE);
        double[] rho = fit.shrinkageIntensities();
        assertEquals(K, rho.length);
        assertTrue(rho[0] > 0 && rho[0] < 1, "rho " + rho[0]);
        assertEquals(rho[0], rho[1]);
        assertEquals(rho[0], rho[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"diag", "spherical", "VEE", "EEV", "EVV"})
    void modelsThatConstrainTheirCovariancesRefuseIt(String model) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmOptions.builder(K, CovarianceType.parse(model)).shrinkage(CovarianceShrinkage.OAS).build());
        assertTrue(e.getMessage().contains("applies to the VVV (full) and EEE (tied) models"), e.getMessage());
    }

    @Test
    void thePriorAndShrinkageAreNotCombined() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmOptions
                .builder(K, CovarianceType.FULL).prior(Prior.DEFAULT).shrinkage(CovarianceShrinkage.OAS).build());
        assertTrue(e.getMessage().contains("both regularise the covariances"), e.getMessage());
    }

    @Test
    void batchedFitsShrinkAsAFitAlone() {
        ElongatedClusters mixture = ElongatedClusters.mixture(K, D, 1.0, 6.0, 51);
        InMemoryBlockData data = InMemoryBlockData.of(mixture.rows(60, 1051, null), D);
        EmOptions shrunk = full(51).shrinkage(CovarianceShrinkage.OAS).build();
        EmOptions plain = full(51).build();
        BatchedFits.Batch batch = BatchedFits.fit(data, List.of(shrunk, plain), FitListener.NONE, 1L << 30);
        EmResult alone = EmFitter.fit(data, shrunk, FitListener.NONE);
        EmResult batched = batch.outcomes().get(0).result();
        assertEquals(alone.logLikelihood(), batched.logLikelihood(), 1e-9 * Math.abs(alone.logLikelihood()));
        assertArrayEquals(alone.shrinkageIntensities(), batched.shrinkageIntensities(), 1e-12);
        assertTrue(batched.shrunk());
        assertTrue(!batch.outcomes().get(1).result().shrunk());
    }

    @Test
    void aResumedFitKeepsTheShrinkage() {
        ElongatedClusters mixture = ElongatedClusters.mixture(K, D, 1.0, 6.0, 61);
        InMemoryBlockData data = InMemoryBlockData.of(mixture.rows(60, 1061, null), D);
        EmOptions options = full(61).nInit(2).tol(0).maxIter(12).shrinkage(CovarianceShrinkage.OAS).build();
        EmResult uninterrupted = EmFitter.fit(data, options, FitListener.NONE);
        CheckpointResumeTest.MemoryStore store = new CheckpointResumeTest.MemoryStore();
        FitListener killer = new FitListener() {
            @Override
            public void iteration(int restart, IterationRecord record) {
                if (restart == 1 && record.iteration() == 7) {
                    throw new CheckpointResumeTest.Killed();
                }
            }
        };
        assertThrows(CheckpointResumeTest.Killed.class,
                () -> EmFitter.fit(data, options, killer, new EmCheckpoint.Policy(store, 3, false)));
        EmResult resumed = EmFitter.fit(data, options, FitListener.NONE, new EmCheckpoint.Policy(store, 3, true));
        assertEquals(uninterrupted.model(), resumed.model());
        assertArrayEquals(uninterrupted.shrinkageIntensities(), resumed.shrinkageIntensities());

        EmOptions plain = options.toBuilder().shrinkage(CovarianceShrinkage.NONE).build();
        EmCheckpoint.MismatchException e = assertThrows(EmCheckpoint.MismatchException.class,
                () -> EmFitter.fit(data, plain, FitListener.NONE, new EmCheckpoint.Policy(store, 3, true)));
        assertTrue(e.getMessage().contains("shrinkage=oas"), e.getMessage());
    }

    @Test
    void theCheckpointFingerprintNamesTheShrinkage() {
        String plain = EmCheckpoint.fingerprintOf(full(1).build());
        String shrunk = EmCheckpoint.fingerprintOf(full(1).shrinkage(CovarianceShrinkage.OAS).build());
        assertTrue(!plain.contains("shrinkage"), plain);
        assertTrue(shrunk.endsWith(",shrinkage=oas"), shrunk);
    }
}
