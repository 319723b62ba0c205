package io.mixspark.em;

import static io.mixspark.testing.FitAssertions.assertSameFit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Precision;
import io.mixspark.gmm.Scoring;
import io.mixspark.gmm.ShapeFamily;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.testing.Fixtures;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The small-EM start ({@link InitMode#SMALL_EM}). Its run count and length were chosen on
 * shape-family seeds 1-10; the accuracy test draws seeds 11-20.
 */
class SmallEmStartTest {

    /**
     * On seeds 1-10 (OAS) the small-EM start gave a mean misclustering of 0.006 with 3 restarts and
     * the k-means++ start 0.161 with 10: the bounds leave room on either side (0.05 is issue 15's
     * target).
     */
    private static final double SMALL_EM_BOUND = 0.05;
    private static final double KMEANS_FLOOR = 0.08;

    private static EmOptions.Builder oas(ShapeFamily family, InitMode mode, long seed) {
        return EmOptions.builder(family.k(), CovarianceType.FULL).nInit(3).kernel("java").seed(seed)
                .initMode(mode).shrinkage(CovarianceShrinkage.OAS);
    }

    private static double misclustering(ShapeFamily.Draw draw, EmOptions options) {
        Mixture model = EmFitter.fit(InMemoryBlockData.of(draw.x(), draw.d()), options, FitListener.NONE).model();
        return ClusteringMetrics.misclusteringRate(draw.truth(),
                Scoring.predict(JavaLikelihoodKernel.INSTANCE, model, DataBlock.of(draw.x(), draw.d())));
    }

    @Test
    void findsAnElongatedAndACompactClusterThatAKMeansStartCutsAcross() {
        ShapeFamily family = ShapeFamily.ELONGATED_COMPACT;
        double smallEm = 0;
        double kmeans = 0;
        for (long seed = 11; seed <= 20; seed++) {
            ShapeFamily.Draw draw = family.draw(seed);
            smallEm += misclustering(draw, oas(family, InitMode.SMALL_EM, seed).build()) / 10;
            kmeans += misclustering(draw, oas(family, InitMode.KMEANS_PLUS_PLUS, seed).build()) / 10;
        }
        String rates = String.format(Locale.ROOT, "small-em %.4f, kmeans++ %.4f", smallEm, kmeans);
        assertTrue(smallEm <= SMALL_EM_BOUND, rates);
        assertTrue(kmeans >= KMEANS_FLOOR, "the k-means start no longer cuts these clusters: " + rates);
    }

    @Test
    void aSeededStartIsReproducibleAndEveryRestartDrawsItsOwnRuns() {
        ShapeFamily.Draw draw = ShapeFamily.ELONGATED3.draw(11);
        InMemoryBlockData data = InMemoryBlockData.of(draw.x(), null, draw.d(), 100);
        EmOptions options = oas(ShapeFamily.ELONGATED3, InitMode.SMALL_EM, 5).build();
        Mixture first = EmFitter.initialMixture(data, options, 0, FitListener.NONE);
        assertEquals(first, EmFitter.initialMixture(data, options, 0, FitListener.NONE));
        assertTrue(!first.equals(EmFitter.initialMixture(data, options, 1, FitListener.NONE)),
                "restart 1 started where restart 0 did");
    }

    @Test
    void aBatchedFitGivesTheFitAlone() {
        Fixtures.Dataset iris = Fixtures.dataset("iris");
        InMemoryBlockData data = InMemoryBlockData.of(iris.values(), null, iris.d(), 32);
        List<EmOptions> fits = List.of(CovarianceType.FULL, CovarianceType.DIAG, CovarianceType.SPHERICAL).stream()
                .map(type -> EmOptions.builder(3, type).nInit(2).kernel("java").seed(3).initMode(InitMode.SMALL_EM)
                        .build())
                .toList();
        BatchedFits.Batch batch = BatchedFits.fit(data, fits, FitListener.NONE, 1 << 20);
        for (int i = 0; i < fits.size(); i++) {
            assertSameFit(EmFitter.fit(data, fits.get(i), FitListener.NONE), batch.outcomes().get(i).result(), 1e-12,
                    fits.get(i).covarianceType().id());
        }
    }

    @Test
    void weightedRowsAndFloatArithmeticTakePartInTheShortRuns() {
        Fixtures.Dataset iris = Fixtures.dataset("iris");
        double[] weights = new double[iris.rows()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + i % 3;
        }
        InMemoryBlockData weighted = InMemoryBlockData.of(iris.values(), weights, iris.d(), 32);
        InMemoryBlockData plain = InMemoryBlockData.of(iris.values(), null, iris.d(), 32);
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).kernel("java").seed(4)
                .initMode(InitMode.SMALL_EM).build();
        Mixture start = EmFitter.initialMixture(plain, options, 0, FitListener.NONE);
        assertTrue(!start.equals(EmFitter.initialMixture(weighted, options, 0, FitListener.NONE)),
                "the weights changed nothing in the short runs");
        Mixture single = EmFitter.initialMixture(plain, options.toBuilder().precision(Precision.FLOAT).build(), 0,
                FitListener.NONE);
        assertTrue(!start.equals(single), "float arithmetic gave the double start to the bit");
        for (int c = 0; c < 3; c++) {
            for (int a = 0; a < iris.d(); a++) {
                assertEquals(start.mean(c)[a], single.mean(c)[a], 1e-4, "component " + c);
            }
        }
    }

    @Test
    void knownLabelsAreRefusedBecauseTheShortRunsDoNotKeepTheirComponents() {
        Fixtures.Dataset iris = Fixtures.dataset("iris");
        int[] labels = new int[iris.rows()];
        java.util.Arrays.fill(labels, DataBlock.UNLABELLED);
        labels[0] = 0;
        InMemoryBlockData data = InMemoryBlockData.of(iris.values(), null, labels, iris.d(), 32);
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).kernel("java").initMode(InitMode.SMALL_EM)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmFitter.fit(data, options, FitListener.NONE));
        assertTrue(e.getMessage().contains("known labels"), e.getMessage());
        BatchedFits.Batch batch = BatchedFits.fit(data, List.of(options), FitListener.NONE, 1 << 20);
        assertTrue(batch.outcomes().get(0).failure() instanceof IllegalArgumentException,
                String.valueOf(batch.outcomes().get(0).failure()));
    }

    @Test
    void rowsFewerThanKAreRefusedWithTheReason() {
        EmOptions options = EmOptions.builder(2, CovarianceType.FULL).kernel("java").initMode(InitMode.SMALL_EM)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmFitter.fit(
                InMemoryBlockData.of(new double[] {0, 0, 0, 0, 0, 0}, 2), options, FitListener.NONE));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    }
}
