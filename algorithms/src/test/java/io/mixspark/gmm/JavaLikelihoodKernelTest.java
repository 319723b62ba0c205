package io.mixspark.gmm;

import static io.mixspark.testing.StatisticsAssertions.assertSameStatistics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.testing.TestMixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure-Java kernel against direct formulas, and the argument checks of {@link LikelihoodKernel}. */
class JavaLikelihoodKernelTest {

    private static final LikelihoodKernel KERNEL = JavaLikelihoodKernel.INSTANCE;

    static List<Arguments> typesAndDimensions() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType type : CovarianceType.scikitLearn()) {
            for (int d : new int[] {1, 3, 7}) {
                out.add(Arguments.of(type, d));
            }
        }
        return out;
    }

    /** log w + log N(x | mu, Sigma) with Sigma^-1 and det Sigma from EJML's general routines. */
    private static double directLogJoint(Mixture m, int c, double[] x) {
        int d = m.d();
        double[][] sigma = m.covarianceMatrix(c);
        DMatrixRMaj s = new DMatrixRMaj(sigma);
        double det = CommonOps_DDRM.det(s);
        DMatrixRMaj inverse = new DMatrixRMaj(d, d);
        assertTrue(CommonOps_DDRM.invert(s, inverse), "test matrix should be invertible");
        double[] mu = m.mean(c);
        double quadratic = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                quadratic += (x[a] - mu[a]) * inverse.get(a, b) * (x[b] - mu[b]);
            }
        }
        return Math.log(m.weight(c)) - 0.5 * (d * Math.log(2 * Math.PI) + Math.log(det) + quadratic);
    }

    @ParameterizedTest(name = "{0} d={1}")
    @MethodSource("typesAndDimensions")
    void logJointEqualsTheDirectFormula(CovarianceType type, int d) {
        Random random = new Random(31 + d);
        int k = 3;
        int n = 25;
        Mixture m = TestMixtures.mixture(random, type, k, d, 2.0);
        double[] values = TestMixtures.rows(random, n, d, 3.0);
        double[] out = new double[n * k];

        KERNEL.logJoint(DataBlock.of(values, d), m, out);

        for (int i = 0; i < n; i++) {
            double[] x = java.util.Arrays.copyOfRange(values, i * d, i * d + d);
            for (int c = 0; c < k; c++) {
                double expected = directLogJoint(m, c, x);
                assertEquals(expected, out[i * k + c], 1e-10 * Math.max(1, Math.abs(expected)),
                        type + " d=" + d + " row " + i + " component " + c);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void logJointLeavesOutputBeyondTheBlockUntouched(CovarianceType type) {
        Mixture m = TestMixtures.mixture(new Random(32), type, 2, 3, 2.0);
        double[] out = new double[3 * 2 + 4];
        java.util.Arrays.fill(out, 42.0);
        KERNEL.logJoint(DataBlock.of(TestMixtures.rows(new Random(1), 3, 3, 1.0), 3), m, out);
        for (int i = 6; i < out.length; i++) {
            assertEquals(42.0, out[i], "out[" + i + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void expectationOnAnEmptyBlockChangesNothing(CovarianceType type) {
        Mixture m = TestMixtures.mixture(new Random(33), type, 3, 4, 2.0);
        SufficientStatistics stats = SufficientStatistics.zeroFor(m);
        KERNEL.expectation(DataBlock.of(TestMixtures.rows(new Random(2), 10, 4, 1.0), 4), m, stats);
        SufficientStatistics before = stats.copy();

        KERNEL.expectation(DataBlock.of(new double[0], 4), m, stats);
        KERNEL.expectation(new DataBlock(new double[8], new double[2], 0, 4), m, stats);

        assertSameStatistics(before, stats, 0, true);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void zeroWeightRowsAddNoMassButAreCounted(CovarianceType type) {
        Random random = new Random(34);
        int d = 3;
        int n = 60;
        Mixture m = TestMixtures.mixture(random, type, 3, d, 2.0);
        double[] values = TestMixtures.rows(random, n, d, 3.0);
        double[] weights = new double[n];
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            weights[i] = i % 3 == 0 ? 0.0 : 1.0;
            if (weights[i] > 0) {
                kept.add(i);
            }
        }
        double[] keptValues = new double[kept.size() * d];
        for (int j = 0; j < kept.size(); j++) {
            System.arraycopy(values, kept.get(j) * d, keptValues, j * d, d);
        }

        SufficientStatistics withZeros = SufficientStatistics.zeroFor(m);
        KERNEL.expectation(new DataBlock(values, weights, n, d), m, withZeros);
        SufficientStatistics withoutZeros = SufficientStatistics.zeroFor(m);
        KERNEL.expectation(DataBlock.of(keptValues, d), m, withoutZeros);

        assertSameStatistics(withoutZeros, withZeros, 0, false);
        assertEquals(n, withZeros.rows(), "zero-weight rows still count as rows");
        assertEquals(kept.size(), withZeros.totalWeight(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void rowsOfWeightTwoEqualDuplicatedRows(CovarianceType type) {
        Random random = new Random(35);
        int d = 4;
        int n = 80;
        Mixture m = TestMixtures.mixture(random, type, 3, d, 2.0);
        double[] values = TestMixtures.rows(random, n, d, 3.0);
        double[] twos = new double[n];
        java.util.Arrays.fill(twos, 2.0);
        double[] duplicated = new double[2 * n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(values, i * d, duplicated, 2 * i * d, d);
            System.arraycopy(values, i * d, duplicated, (2 * i + 1) * d, d);
        }

        SufficientStatistics weighted = SufficientStatistics.zeroFor(m);
        KERNEL.expectation(new DataBlock(values, twos, n, d), m, weighted);
        SufficientStatistics doubled = SufficientStatistics.zeroFor(m);
        KERNEL.expectation(DataBlock.of(duplicated, d), m, doubled);

        assertSameStatistics(doubled, weighted, 1e-10, false);
        assertEquals(n, weighted.rows());
        assertEquals(2L * n, doubled.rows());
    }

    @Test
    void nearestCentresMatchesBruteForce() {
        Random random = new Random(36);
        int d = 5;
        int k = 7;
        int n = 300;
        double[] centres = TestMixtures.rows(random, k, d, 2.0);
        double[] values = TestMixtures.rows(random, n, d, 2.0);
        int[] labels = new int[n];
        double[] distances = new double[n];

        KERNEL.nearestCentres(DataBlock.of(values, d), centres, k, labels, distances);

        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double sum = 0;
                for (int a = 0; a < d; a++) {
                    double diff = values[i * d + a] - centres[c * d + a];
                    sum += diff * diff;
                }
                if (sum < bestDistance) {
                    bestDistance = sum;
                    best = c;
                }
            }
            assertEquals(best, labels[i], "label of row " + i);
            assertEquals(bestDistance, distances[i], 1e-12 * bestDistance, "distance of row " + i);
        }
    }

    @Test
    void nearestCentresGivesZeroDistanceToACentreItself() {
        double[] centres = {0, 0, 5, 5, -3, 2};
        int[] labels = new int[3];
        double[] distances = new double[3];
        KERNEL.nearestCentres(DataBlock.of(centres.clone(), 2), centres, 3, labels, distances);
        assertArrayEquals(new int[] {0, 1, 2}, labels);
        assertArrayEquals(new double[] {0, 0, 0}, distances, 0.0);
    }

    @Test
    void blocksOfTheWrongDimensionAreRejected() {
        Mixture m = TestMixtures.mixture(new Random(37), CovarianceType.FULL, 2, 3, 1.0);
        DataBlock twoColumns = DataBlock.of(new double[] {1, 2, 3, 4}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KERNEL.logJoint(twoColumns, m, new double[4]));
        assertTrue(e.getMessage().contains("2 columns") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.expectation(twoColumns, m, SufficientStatistics.zeroFor(m)));
        assertThrows(IllegalArgumentException.class, () -> KERNEL.logJoint(null, m, new double[4]));
    }

    @Test
    void outputArraysThatAreTooShortAreRejected() {
        Mixture m = TestMixtures.mixture(new Random(38), CovarianceType.DIAG, 3, 2, 1.0);
        DataBlock block = DataBlock.of(new double[] {1, 2, 3, 4}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KERNEL.logJoint(block, m, new double[5]));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KERNEL.logJoint(block, m, null));
        double[] centres = {0, 0, 1, 1};
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.nearestCentres(block, centres, 2, new int[1], new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.nearestCentres(block, centres, 2, new int[2], new double[1]));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.nearestCentres(block, centres, 3, new int[2], new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.nearestCentres(block, centres, 0, new int[2], new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.nearestCentres(block, null, 2, new int[2], new double[2]));
    }

    @Test
    void statisticsShapedForAnotherModelAreRejected() {
        Random random = new Random(39);
        Mixture full = TestMixtures.mixture(random, CovarianceType.FULL, 2, 3, 1.0);
        Mixture diag = TestMixtures.mixture(random, CovarianceType.DIAG, 2, 3, 1.0);
        Mixture threeComponents = TestMixtures.mixture(random, CovarianceType.FULL, 3, 3, 1.0);
        DataBlock block = DataBlock.of(TestMixtures.rows(random, 4, 3, 1.0), 3);
        SufficientStatistics otherCentres = SufficientStatistics.zero(2, 3, true, new double[6]);

        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.expectation(block, full, SufficientStatistics.zeroFor(diag)));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.expectation(block, diag, SufficientStatistics.zero(2, 3, true, diag.meansView())));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.expectation(block, full, SufficientStatistics.zeroFor(threeComponents)));
        assertThrows(IllegalArgumentException.class, () -> KERNEL.expectation(block, full, otherCentres));
        assertThrows(IllegalArgumentException.class,
                () -> KERNEL.expectation(block, full, SufficientStatistics.empty()));
        assertEquals(0, otherCentres.rows(), "a rejected call must not touch the statistics");
    }
}
