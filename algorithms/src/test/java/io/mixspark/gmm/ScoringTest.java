package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.testing.TestMixtures;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Posterior probabilities, hard labels and log densities of {@link Scoring}. */
class ScoringTest {

    private static final LikelihoodKernel KERNEL = JavaLikelihoodKernel.INSTANCE;
    private static final int K = 4;
    private static final int D = 3;

    private static Mixture mixture(CovarianceType type) {
        return TestMixtures.mixture(new Random(41), type, K, D, 2.0);
    }

    private static double[] logJoint(Mixture m, DataBlock block) {
        double[] out = new double[block.rows() * m.k()];
        KERNEL.logJoint(block, m, out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void probabilitiesOfEachRowSumToOne(CovarianceType type) {
        Mixture m = mixture(type);
        DataBlock block = DataBlock.of(TestMixtures.rows(new Random(42), 200, D, 3.0), D);

        double[] p = Scoring.predictProba(KERNEL, m, block);

        assertEquals(200 * K, p.length);
        for (int i = 0; i < block.rows(); i++) {
            double sum = 0;
            for (int c = 0; c < K; c++) {
                assertTrue(p[i * K + c] >= 0 && p[i * K + c] <= 1, "probability out of range at row " + i);
                sum += p[i * K + c];
            }
            assertEquals(1.0, sum, 1e-12, "row " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void probabilitiesAreTheNormalisedJointDensities(CovarianceType type) {
        Mixture m = mixture(type);
        DataBlock block = DataBlock.of(TestMixtures.rows(new Random(43), 50, D, 1.5), D);
        double[] joint = logJoint(m, block);

        double[] p = Scoring.predictProba(KERNEL, m, block);

        for (int i = 0; i < block.rows(); i++) {
            double total = 0;
            for (int c = 0; c < K; c++) {
                total += Math.exp(joint[i * K + c]);
            }
            for (int c = 0; c < K; c++) {
                assertEquals(Math.exp(joint[i * K + c]) / total, p[i * K + c], 1e-12, "row " + i + " component " + c);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void predictIsTheArgmaxOfPredictProba(CovarianceType type) {
        Mixture m = mixture(type);
        DataBlock block = DataBlock.of(TestMixtures.rows(new Random(44), 300, D, 3.0), D);
        double[] p = Scoring.predictProba(KERNEL, m, block);

        int[] labels = Scoring.predict(KERNEL, m, block);

        int distinct = 0;
        boolean[] seen = new boolean[K];
        for (int i = 0; i < block.rows(); i++) {
            int best = 0;
            for (int c = 1; c < K; c++) {
                if (p[i * K + c] > p[i * K + best]) {
                    best = c;
                }
            }
            assertEquals(best, labels[i], "row " + i);
            if (!seen[best]) {
                seen[best] = true;
                distinct++;
            }
        }
        assertTrue(distinct > 1, "the test data should reach more than one component");
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void scoreSamplesIsTheLogSumExpOfTheJointDensities(CovarianceType type) {
        Mixture m = mixture(type);
        DataBlock block = DataBlock.of(TestMixtures.rows(new Random(45), 100, D, 3.0), D);
        double[] joint = logJoint(m, block);

        double[] scores = Scoring.scoreSamples(KERNEL, m, block);

        assertEquals(block.rows(), scores.length);
        for (int i = 0; i < block.rows(); i++) {
            double direct = 0;
            for (int c = 0; c < K; c++) {
                direct += Math.exp(joint[i * K + c]);
            }
            assertEquals(Math.log(direct), scores[i], 1e-12 * Math.max(1, Math.abs(scores[i])), "row " + i);
        }
    }

    /** Rows 1e3 standard deviations away: every exp(logJoint) underflows, log-sum-exp must not. */
    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void rowsFarFromEveryComponentStillScoreFinitely(CovarianceType type) {
        Mixture m = mixture(type);
        int n = 3;
        double[] values = new double[n * D];
        double[] directions = {1, 0, 0, -1, 1, 0, 0.3, -0.2, 1};
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < D; a++) {
                values[i * D + a] = m.mean(0)[a] + 1e3 * 2.0 * directions[i * D + a];
            }
        }
        DataBlock block = DataBlock.of(values, D);
        double[] joint = logJoint(m, block);

        double[] scores = Scoring.scoreSamples(KERNEL, m, block);
        double[] p = Scoring.predictProba(KERNEL, m, block);
        int[] labels = Scoring.predict(KERNEL, m, block);

        for (int i = 0; i < n; i++) {
            double naive = 0;
            int best = 0;
            for (int c = 0; c < K; c++) {
                naive += Math.exp(joint[i * K + c]);
                if (joint[i * K + c] > joint[i * K + best]) {
                    best = c;
                }
            }
            assertEquals(0.0, naive, "the test rows should be far enough for exp to underflow");
            assertTrue(Double.isFinite(scores[i]), "score of row " + i + " is " + scores[i]);
            assertTrue(scores[i] >= joint[i * K + best] && scores[i] <= joint[i * K + best] + Math.log(K),
                    "log-sum-exp bounds at row " + i);
            double sum = 0;
            for (int c = 0; c < K; c++) {
                assertTrue(p[i * K + c] >= 0 && p[i * K + c] <= 1, "probability " + p[i * K + c] + " at row " + i);
                sum += p[i * K + c];
            }
            assertEquals(1.0, sum, 1e-12, "row " + i);
            assertEquals(best, labels[i], "row " + i);
        }
    }

    @Test
    void logSumExpNeitherOverflowsNorUnderflows() {
        assertEquals(1000 + Math.log(2), Scoring.logSumExp(new double[] {1000, 1000}, 0, 2), 1e-12);
        assertEquals(-1e6 + Math.log(3), Scoring.logSumExp(new double[] {7, -1e6, -1e6, -1e6}, 1, 3), 1e-6);
        assertEquals(5.0, Scoring.logSumExp(new double[] {5, Double.NEGATIVE_INFINITY}, 0, 2), 0.0);
        assertEquals(Double.NEGATIVE_INFINITY,
                Scoring.logSumExp(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 0, 2));
    }

    @Test
    void argmaxRowsTakesTheFirstOnTies() {
        assertArrayEquals(new int[] {1, 0, 2}, Scoring.argmaxRows(new double[] {0, 3, 3, 5, 5, 1, -1, -1, 0}, 3, 3));
    }
}
