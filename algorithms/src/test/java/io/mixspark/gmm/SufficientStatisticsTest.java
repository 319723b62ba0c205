package io.mixspark.gmm;

import static io.mixspark.testing.StatisticsAssertions.assertSameStatistics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.testing.TestMixtures;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The monoid laws of {@link SufficientStatistics#merge} and their use for split blocks. */
class SufficientStatisticsTest {

    private static final double RELATIVE = 1e-12;

    private static SufficientStatistics statisticsOf(Mixture model, DataBlock block) {
        SufficientStatistics s = SufficientStatistics.zeroFor(model);
        JavaLikelihoodKernel.INSTANCE.expectation(block, model, s);
        return s;
    }

    private static DataBlock block(Random random, int rows, int d) {
        return DataBlock.of(TestMixtures.rows(random, rows, d, 2.0), d);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void emptyIsLeftAndRightIdentityOfMerge(CovarianceType type) {
        Random random = new Random(11);
        Mixture model = TestMixtures.mixture(random, type, 3, 4, 2.0);
        SufficientStatistics a = statisticsOf(model, block(random, 50, 4));

        SufficientStatistics right = a.copy().merge(SufficientStatistics.empty());
        SufficientStatistics left = SufficientStatistics.empty().merge(a);

        assertSameStatistics(a, right, 0, true);
        assertSameStatistics(a, left, 0, true);
        assertNotSame(a, left, "merging into empty must not alias its argument");
        assertTrue(SufficientStatistics.empty().merge(SufficientStatistics.empty()).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void mergeIsAssociative(CovarianceType type) {
        Random random = new Random(12);
        Mixture model = TestMixtures.mixture(random, type, 3, 5, 2.0);
        SufficientStatistics a = statisticsOf(model, block(random, 40, 5));
        SufficientStatistics b = statisticsOf(model, block(random, 70, 5));
        SufficientStatistics c = statisticsOf(model, block(random, 25, 5));

        SufficientStatistics leftFirst = a.copy().merge(b).merge(c);
        SufficientStatistics rightFirst = a.copy().merge(b.copy().merge(c));

        assertSameStatistics(leftFirst, rightFirst, RELATIVE, true);
        assertEquals(135, leftFirst.rows());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void mergeIsCommutativeAndLeavesItsArgumentUnchanged(CovarianceType type) {
        Random random = new Random(13);
        Mixture model = TestMixtures.mixture(random, type, 2, 3, 2.0);
        SufficientStatistics a = statisticsOf(model, block(random, 30, 3));
        SufficientStatistics b = statisticsOf(model, block(random, 45, 3));
        SufficientStatistics bBefore = b.copy();

        SufficientStatistics ab = a.copy().merge(b);
        SufficientStatistics ba = b.copy().merge(a);

        assertSameStatistics(ab, ba, 0, true);
        assertSameStatistics(bBefore, b, 0, true);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void statisticsOfABlockEqualTheMergeOfItsHalves(CovarianceType type) {
        Random random = new Random(14);
        int d = 4;
        int n = 301;
        Mixture model = TestMixtures.mixture(random, type, 3, d, 2.0);
        double[] values = TestMixtures.rows(random, n, d, 2.0);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 0.5 + random.nextDouble();
        }
        for (int split : new int[] {0, 1, 137, n - 1, n}) {
            DataBlock whole = new DataBlock(values, weights, n, d);
            DataBlock first = new DataBlock(Arrays.copyOfRange(values, 0, split * d),
                    Arrays.copyOfRange(weights, 0, split), split, d);
            DataBlock second = new DataBlock(Arrays.copyOfRange(values, split * d, n * d),
                    Arrays.copyOfRange(weights, split, n), n - split, d);

            SufficientStatistics merged = statisticsOf(model, first).merge(statisticsOf(model, second));

            assertSameStatistics(statisticsOf(model, whole), merged, RELATIVE, true);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void statisticsRebuiltFromTheirMomentsGiveTheSameMStep(CovarianceType type) {
        Random random = new Random(17);
        Mixture model = TestMixtures.mixture(random, type, 3, 4, 2.0);
        SufficientStatistics s = statisticsOf(model, block(random, 200, 4));
        double[] counts = new double[s.k()];
        Arrays.setAll(counts, s::count);
        SufficientStatistics rebuilt = SufficientStatistics.ofMoments(s.k(), s.d(), s.fullScatter(), s.centresView(),
                counts, s.sumsView(), s.scattersView());
        assertEquals(s.totalWeight(), rebuilt.totalWeight(), 1e-12 * s.totalWeight());
        assertEquals(MStep.update(s, type, 1e-6, m -> { }), MStep.update(rebuilt, type, 1e-6, m -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SufficientStatistics.ofMoments(
                s.k(), s.d(), s.fullScatter(), s.centresView(), new double[2], s.sumsView(), s.scattersView()));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    }

    @Test
    void mergingStatisticsAboutDifferentCentresThrows() {
        double[] centres = {0, 0, 1, 1};
        double[] moved = {0, 0, 1, 1 + 1e-12};
        SufficientStatistics a = SufficientStatistics.zero(2, 2, true, centres);
        SufficientStatistics b = SufficientStatistics.zero(2, 2, true, moved);
        a.addRowTotals(1, -1, 0);

        assertThrows(IllegalArgumentException.class, () -> a.merge(b));
        assertEquals(1, a.rows(), "a failed merge must leave the target unchanged");
    }

    @Test
    void mergingStatisticsOfDifferentShapesThrows() {
        SufficientStatistics base = SufficientStatistics.zero(2, 2, true, new double[] {0, 0, 1, 1});

        SufficientStatistics otherK = SufficientStatistics.zero(3, 2, true, new double[] {0, 0, 1, 1, 2, 2});
        SufficientStatistics otherD = SufficientStatistics.zero(1, 4, true, new double[] {0, 0, 1, 1});
        SufficientStatistics diagonal = SufficientStatistics.zero(2, 2, false, new double[] {0, 0, 1, 1});

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.merge(otherK));
        assertTrue(e.getMessage().contains("k=2/3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.merge(otherD));
        assertThrows(IllegalArgumentException.class, () -> base.merge(diagonal));
        assertThrows(IllegalArgumentException.class, () -> diagonal.merge(base));
    }

    @Test
    void zeroRejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> SufficientStatistics.zero(0, 2, true, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SufficientStatistics.zero(2, 0, true, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SufficientStatistics.zero(2, 2, true, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> SufficientStatistics.zero(2, 2, true, null));
    }

    @Test
    void zeroCopiesItsCentres() {
        double[] centres = {1, 2};
        SufficientStatistics s = SufficientStatistics.zero(1, 2, false, centres);
        centres[0] = 99;
        assertEquals(1.0, s.centresView()[0]);
    }
}
