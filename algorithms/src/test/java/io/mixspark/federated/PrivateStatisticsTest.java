package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.linalg.Cholesky;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clipping, raw moments, the sensitivities they rely on, and the post-processed M-step. */
class PrivateStatisticsTest {

    private static final double B = 3.0;

    private static Mixture model(CovarianceType type) {
        Mixture m = Scenarios.threeComponents2d(2);
        if (type == CovarianceType.FULL) {
            return m;
        }
        double[][] diag = new double[3][];
        for (int c = 0; c < 3; c++) {
            diag[c] = GaussianAlgebra.diagonal(m.covariance(c), 2);
        }
        return new Mixture(CovarianceType.DIAG, m.weights(), m.means(), diag);
    }

    @Test
    void clippingScalesOnlyLongRowsAndCapsWeights() {
        double[] v = {3, 4, 0.3, 0.4, -6, 8};
        DataBlock clipped = ClippingAggregator.clip(new DataBlock(v, new double[] {2.5, 0.5, -1}, 3, 2), 2.0);
        assertEquals(1.2, clipped.values()[0], 1e-15);
        assertEquals(1.6, clipped.values()[1], 1e-15);
        assertEquals(0.3, clipped.values()[2], 0);
        assertEquals(0.4, clipped.values()[3], 0);
        assertEquals(2.0, Math.hypot(clipped.values()[4], clipped.values()[5]), 1e-15);
        assertEquals(1.0, clipped.weight(0));
        assertEquals(0.5, clipped.weight(1));
        assertEquals(0.0, clipped.weight(2));
        assertEquals(3, v[0], "the data is not modified");
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI"})
    void rawMomentsEqualTheDirectSums(CovarianceType type) {
        Mixture model = model(type);
        double[] x = model.sample(500, new Random(1), null);
        DataBlock block = DataBlock.of(x, 2);
        SufficientStatistics centred = InMemoryBlockData.of(x, null, 2, 64).aggregate(new ExpectationPass(model, "java"));
        RawMoments raw = RawMoments.fromCentred(centred, 3, 2, type == CovarianceType.FULL);
        double[] r = Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, model, block);
        for (int c = 0; c < 3; c++) {
            double n = 0;
            double[] s1 = new double[2];
            double[][] s2 = new double[2][2];
            for (int i = 0; i < 500; i++) {
                double g = r[i * 3 + c];
                n += g;
                for (int a = 0; a < 2; a++) {
                    s1[a] += g * x[i * 2 + a];
                    for (int b = 0; b < 2; b++) {
                        s2[a][b] += g * x[i * 2 + a] * x[i * 2 + b];
                    }
                }
            }
            assertEquals(n, raw.count(c), 1e-9);
            for (int a = 0; a < 2; a++) {
                assertEquals(s1[a], raw.sum(c, a), 1e-9);
                for (int b = 0; b < 2; b++) {
                    double expected = type == CovarianceType.FULL || a == b ? s2[a][b] : 0;
                    assertEquals(expected, raw.scatter(c, a, b), 1e-8, "scatter " + a + "," + b);
                }
            }
        }
        assertEquals(3 + 6 + 3 * (type == CovarianceType.FULL ? 3 : 2), raw.doubles());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI"})
    void oneRowMovesTheReleasedMomentsByAtMostTheSensitivities(CovarianceType type) {
        Mixture model = model(type);
        Random random = new Random(3);
        double[] x = model.sample(300, random, null);
        ClippingAggregator<SufficientStatistics> pass = ClippingAggregator.expectation(model, "java", B);
        RawMoments without = moments(pass, x, type);
        double worst1 = 0;
        double worstB = 0;
        double worstB2 = 0;
        for (int trial = 0; trial < 200; trial++) {
            // Rows anywhere, including far outside the ball and between components.
            double[] row = {8 * random.nextGaussian(), 8 * random.nextGaussian()};
            double[] with = new double[x.length + 2];
            System.arraycopy(x, 0, with, 0, x.length);
            System.arraycopy(row, 0, with, x.length, 2);
            RawMoments plus = moments(pass, with, type);
            double dn = 0;
            double ds = 0;
            double dq = 0;
            for (int c = 0; c < 3; c++) {
                dn += sq(plus.count(c) - without.count(c));
                for (int a = 0; a < 2; a++) {
                    ds += sq(plus.sum(c, a) - without.sum(c, a));
                    for (int b = 0; b <= a; b++) {
                        dq += sq(plus.scatter(c, a, b) - without.scatter(c, a, b));
                    }
                }
            }
            worst1 = Math.max(worst1, Math.sqrt(dn));
            worstB = Math.max(worstB, Math.sqrt(ds));
            worstB2 = Math.max(worstB2, Math.sqrt(dq));
        }
        assertTrue(worst1 <= 1 + 1e-9, "count sensitivity " + worst1);
        assertTrue(worstB <= B + 1e-9, "first-moment sensitivity " + worstB);
        assertTrue(worstB2 <= B * B + 1e-9, "second-moment sensitivity " + worstB2);
        assertTrue(worstB > 0.9 * B && worstB2 > 0.5 * B * B, "the bounds should be nearly reached: " + worstB
                + ", " + worstB2);
    }

    private static RawMoments moments(ClippingAggregator<SufficientStatistics> pass, double[] x,
                                      CovarianceType type) {
        SufficientStatistics s = InMemoryBlockData.of(x, null, 2, 50).aggregate(pass);
        return RawMoments.fromCentred(s, 3, 2, type == CovarianceType.FULL);
    }

    private static double sq(double v) {
        return v * v;
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI"})
    void postProcessingAlwaysGivesAValidMixture(CovarianceType type) {
        Mixture previous = model(type);
        double[] x = previous.sample(200, new Random(5), null);
        SufficientStatistics s = InMemoryBlockData.of(x, 2).aggregate(ClippingAggregator.expectation(previous, "java", B));
        RawMoments raw = RawMoments.fromCentred(s, 3, 2, type == CovarianceType.FULL);
        PrivacyOptions privacy = PrivacyOptions.of(0.1, 1e-5, B);
        Random random = new Random(6);
        for (int trial = 0; trial < 200; trial++) {
            // Noise far larger than the signal: negative counts, indefinite scatters.
            double z = 5 + 200 * random.nextDouble();
            RawMoments noisy = raw.withGaussianNoise(z, z * B, z * B * B, random);
            PrivateMStep.NoiseLevel noise = trial % 2 == 0 ? PrivateMStep.NoiseLevel.of(z, B, 1)
                    : PrivateMStep.NoiseLevel.NONE;
            Mixture next = PrivateMStep.update(noisy, noise, previous, privacy, 1e-6);
            assertEquals(3, next.k());
            for (int c = 0; c < 3; c++) {
                assertTrue(next.weight(c) >= privacy.minWeight() * 0.99, "weight " + next.weight(c));
                assertTrue(Math.hypot(next.mean(c)[0], next.mean(c)[1]) <= B * (1 + 1e-12), "mean in the ball");
                double[] cov = GaussianAlgebra.fullCovariances(next)[c];
                assertNotNull(Cholesky.lowerFactor(cov, 2), "covariance " + c + " is positive definite");
                double[] eig = eigenvalues(cov, 2);
                for (double l : eig) {
                    assertTrue(l >= privacy.eigenvalueFloor() * (1 - 1e-9) && l <= B * B + 1e-6 + 1e-9,
                            "eigenvalue " + l);
                }
            }
        }
    }

    static double[] eigenvalues(double[] symmetric, int d) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        assertTrue(eig.decompose(DMatrixRMaj.wrap(d, d, symmetric.clone())));
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = eig.getEigenvalue(i).getReal();
        }
        return out;
    }

    @Test
    void withoutNoiseThePrivateMStepIsTheOrdinaryOne() {
        Mixture model = model(CovarianceType.FULL);
        double[] x = model.sample(2000, new Random(8), null);
        InMemoryBlockData data = InMemoryBlockData.of(x, 2);
        // Floors far below the data's scale, so that only the arithmetic differs.
        PrivacyOptions privacy = new PrivacyOptions(Double.POSITIVE_INFINITY, 1e-5, 100,
                PrivacyOptions.NoisePlacement.SITE, 1e-12, 0, 0);
        SufficientStatistics s = data.aggregate(ClippingAggregator.expectation(model, "java", 100));
        Mixture ordinary = io.mixspark.gmm.MStep.update(s, CovarianceType.FULL, 1e-6, m -> { });
        Mixture viaRaw = PrivateMStep.update(RawMoments.fromCentred(s, 3, 2, true), PrivateMStep.NoiseLevel.NONE,
                model, privacy, 1e-6);
        MixtureAssertions.assertMixtureClose(ordinary, viaRaw, 1e-9, "no clipping, no noise");
    }
}
