package io.mixspark.em;

import static io.mixspark.testing.StatisticsAssertions.assertSameMixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.metrics.HungarianAlgorithm;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import io.mixspark.testing.TestMixtures;
import io.mixspark.testing.TreeAggregatedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every EM fit must have, on data drawn from known mixtures and on iris. */
class EmInvariantsTest {

    /** Slack for the monotone log-likelihood: regCovar makes EM only nearly monotone. */
    private static final double MONOTONE_SLACK = 1e-9;

    /** Rows drawn from a known mixture, with the component of each row. */
    record Sample(Mixture truth, double[] values, int[] labels, int d) {
        int rows() {
            return labels.length;
        }

        InMemoryBlockData data() {
            return InMemoryBlockData.of(values, d);
        }
    }

    /** Three well-separated full-covariance components in d dimensions (d >= 2). */
    static Sample threeComponents(int d, int n, long seed) {
        Random random = new Random(seed);
        double[][] means = new double[3][d];
        means[1][0] = 12;
        means[2][1] = 12;
        means[2][0] = 3;
        double[][][] covariances = new double[3][][];
        for (int c = 0; c < 3; c++) {
            covariances[c] = TestMixtures.spd(random, d);
        }
        Mixture truth = Mixture.fromFullCovariances(CovarianceType.FULL, new double[] {0.45, 0.33, 0.22}, means,
                covariances);
        int[] labels = new int[n];
        double[] values = truth.sample(n, random, labels);
        return new Sample(truth, values, labels, d);
    }

    private static EmOptions.Builder options(int k, CovarianceType type) {
        return EmOptions.builder(k, type).regCovar(1e-6).kernel("java").seed(3);
    }

    private static EmResult fit(BlockData data, EmOptions options) {
        return EmFitter.fit(data, options, FitListener.NONE);
    }

    private static void assertNonDecreasing(EmResult result, String what) {
        List<IterationRecord> history = result.history();
        assertTrue(history.size() > 1, what + ": expected several iterations, got " + history.size());
        for (int j = 1; j < history.size(); j++) {
            double before = history.get(j - 1).meanLogLikelihood();
            double after = history.get(j).meanLogLikelihood();
            assertTrue(after >= before - MONOTONE_SLACK * Math.abs(before),
                    what + ": mean log-likelihood fell from " + before + " to " + after + " at iteration "
                            + (j + 1));
        }
        double last = history.get(history.size() - 1).meanLogLikelihood();
        assertTrue(result.meanLogLikelihood() >= last - MONOTONE_SLACK * Math.abs(last),
                what + ": the returned model scores " + result.meanLogLikelihood() + " < last iteration " + last);
    }

    static List<Arguments> typesAndDimensions() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType type : CovarianceType.multivariate()) {
            for (int d = 2; d <= 4; d++) {
                out.add(Arguments.of(type, d));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} d={1}")
    @MethodSource("typesAndDimensions")
    void meanLogLikelihoodNeverDecreases(CovarianceType type, int d) {
        Sample s = threeComponents(d, 1500, 100 + d);
        // A random start is far from the optimum, so there are many iterations to check.
        EmOptions o = options(3, type).initMode(InitMode.RANDOM).tol(1e-10).maxIter(300).build();

        assertNonDecreasing(fit(s.data(), o), type + " d=" + d);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V", "VVE"}, mode = EnumSource.Mode.EXCLUDE)
    void meanLogLikelihoodNeverDecreasesOnIris(CovarianceType type) {
        Dataset iris = Fixtures.dataset("iris");
        for (InitMode mode : List.of(InitMode.RANDOM, InitMode.KMEANS_PLUS_PLUS)) {
            EmOptions o = options(3, type).initMode(mode).tol(1e-10).maxIter(300).build();
            assertNonDecreasing(fit(InMemoryBlockData.of(iris.values(), iris.d()), o), "iris " + type + " " + mode.id());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void theSameSeedGivesTheIdenticalModel(CovarianceType type) {
        Sample s = threeComponents(3, 1200, 200);
        EmOptions o = options(3, type).nInit(2).tol(1e-8).seed(17).build();

        EmResult first = fit(s.data(), o);
        EmResult second = fit(s.data(), o);

        assertEquals(first.model(), second.model());
        assertEquals(first.logLikelihood(), second.logLikelihood(), 0.0);
        assertArrayEquals(first.restartLogLikelihoods(), second.restartLogLikelihoods(), 0.0);
        assertEquals(first.iterations(), second.iterations());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void theBlockSizeDoesNotChangeTheModel(CovarianceType type) {
        Sample s = threeComponents(3, 1500, 300);
        EmOptions o = options(3, type).tol(1e-8).build();

        EmResult reference = fit(InMemoryBlockData.of(s.values(), null, 3, 4096), o);
        assertEquals(1, InMemoryBlockData.of(s.values(), null, 3, 4096).blocks().size());

        for (int blockRows : new int[] {1, 7}) {
            InMemoryBlockData blocks = InMemoryBlockData.of(s.values(), null, 3, blockRows);
            EmResult result = fit(blocks, o);
            assertSameMixture(reference.model(), result.model(), 1e-9);
            assertEquals(reference.meanLogLikelihood(), result.meanLogLikelihood(),
                    1e-9 * Math.abs(reference.meanLogLikelihood()), "blocks of " + blockRows);
            EmResult tree = fit(new TreeAggregatedData(blocks), o);
            assertSameMixture(reference.model(), tree.model(), 1e-9);
            assertEquals(reference.meanLogLikelihood(), tree.meanLogLikelihood(),
                    1e-9 * Math.abs(reference.meanLogLikelihood()), "tree-merged blocks of " + blockRows);
        }
    }

    @Test
    void severalRestartsReturnTheBestRestart() {
        Sample s = threeComponents(2, 900, 400);
        EmOptions o = options(4, CovarianceType.FULL).initMode(InitMode.RANDOM).nInit(5).tol(1e-6).seed(40).build();

        EmResult best = fit(s.data(), o);

        double[] restarts = best.restartLogLikelihoods();
        assertEquals(5, restarts.length);
        double max = Arrays.stream(restarts).max().orElseThrow();
        assertEquals(max, best.meanLogLikelihood(), 0.0);
        assertEquals(max, restarts[best.bestRestart()], 0.0);
        // Restart r runs from seed + r, so each restart is reproducible on its own.
        for (int r = 0; r < 5; r++) {
            EmResult single = fit(s.data(), o.toBuilder().nInit(1).seed(40 + r).build());
            assertEquals(restarts[r], single.meanLogLikelihood(), 0.0, "restart " + r);
        }
    }

    /**
     * The fitted components, matched to the true ones by the Hungarian algorithm on the distance
     * of means, lie within five standard errors of the truth (weights within 0.02). The hard
     * labels, renamed by {@link ClusteringMetrics#bestLabelMatching}, imply the same matching.
     */
    @Test
    void fullCovarianceFitRecoversTheTrueParameters() {
        int d = 3;
        int n = 6000;
        Sample s = threeComponents(d, n, 500);
        EmResult result = fit(s.data(), options(3, CovarianceType.FULL).nInit(3).tol(1e-8).build());
        Mixture fitted = result.model();
        Mixture truth = s.truth();
        assertEquals(3, fitted.k());

        double[][] cost = new double[3][3];
        for (int t = 0; t < 3; t++) {
            for (int c = 0; c < 3; c++) {
                double[] a = truth.mean(t);
                double[] b = fitted.mean(c);
                for (int j = 0; j < d; j++) {
                    cost[t][c] += (a[j] - b[j]) * (a[j] - b[j]);
                }
            }
        }
        int[] fittedOfTrue = HungarianAlgorithm.minimumCostAssignment(cost);

        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, fitted, DataBlock.of(s.values(), d));
        int[] renamed = ClusteringMetrics.bestLabelMatching(s.labels(), predicted);
        for (int i = 0; i < n; i++) {
            assertEquals(renamed[i], indexOf(fittedOfTrue, predicted[i]), "label matching disagrees at row " + i);
        }
        assertTrue(ClusteringMetrics.misclusteringRate(s.labels(), predicted) < 0.01);

        for (int t = 0; t < 3; t++) {
            int c = fittedOfTrue[t];
            double nc = truth.weight(t) * n;
            assertEquals(truth.weight(t), fitted.weight(c), 0.02, "weight of true component " + t);
            double[][] sigma = truth.covarianceMatrix(t);
            double[][] sigmaHat = fitted.covarianceMatrix(c);
            for (int a = 0; a < d; a++) {
                assertEquals(truth.mean(t)[a], fitted.mean(c)[a], 5 * Math.sqrt(sigma[a][a] / nc),
                        "mean " + t + "[" + a + "]");
                for (int b = 0; b < d; b++) {
                    double se = Math.sqrt((sigma[a][a] * sigma[b][b] + sigma[a][b] * sigma[a][b]) / nc);
                    assertEquals(sigma[a][b], sigmaHat[a][b], 5 * se, "covariance " + t + "[" + a + "][" + b + "]");
                }
            }
        }
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void everyInitModeReachesALogLikelihoodCloseToTheBest(CovarianceType type) {
        Sample s = threeComponents(3, 3000, 600);
        EmOptions.Builder base = options(3, type).nInit(3).tol(1e-6);
        List<InitMode> modes = List.of(InitMode.RANDOM, InitMode.KMEANS_PLUS_PLUS, InitMode.KMEANS_PARALLEL,
                InitMode.AUTO);
        double[] scores = new double[modes.size()];
        for (int m = 0; m < modes.size(); m++) {
            // A sample size below the row count makes AUTO choose k-means||.
            EmOptions o = base.initMode(modes.get(m)).sampleSize(50).build();
            EmResult result = fit(s.data(), o);
            assertEquals(3, result.model().k(), modes.get(m).id());
            scores[m] = result.meanLogLikelihood();
        }
        double best = Arrays.stream(scores).max().orElseThrow();
        for (int m = 0; m < modes.size(); m++) {
            assertEquals(best, scores[m], 1e-3 * Math.abs(best), modes.get(m).id() + " " + Arrays.toString(scores));
        }
    }

    @Test
    void autoInitUsesKMeansParallelAboveTheSampleSizeAndKMeansPlusPlusBelow() {
        Sample s = threeComponents(2, 800, 700);
        EmOptions.Builder base = options(3, CovarianceType.DIAG).tol(1e-6).seed(9);

        assertEquals(fit(s.data(), base.initMode(InitMode.KMEANS_PARALLEL).sampleSize(50).build()).model(),
                fit(s.data(), base.initMode(InitMode.AUTO).sampleSize(50).build()).model());
        assertEquals(fit(s.data(), base.initMode(InitMode.KMEANS_PLUS_PLUS).sampleSize(800).build()).model(),
                fit(s.data(), base.initMode(InitMode.AUTO).sampleSize(800).build()).model());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void aStartingComponentFarFromAllDataIsDropped(CovarianceType type) {
        Sample s = threeComponents(2, 1000, 800);
        Mixture truth = s.truth();
        double[] weights = new double[4];
        double[][] means = new double[4][];
        double[][][] covariances = new double[4][][];
        for (int c = 0; c < 3; c++) {
            weights[c] = truth.weight(c) * (1 - 1e-6);
            means[c] = truth.mean(c);
            covariances[c] = switch (type.storage()) {
                case FULL -> truth.covarianceMatrix(c);
                case TIED -> truth.covarianceMatrix(0);
                case DIAG -> new double[][] {{truth.covarianceMatrix(c)[0][0], 0}, {0, truth.covarianceMatrix(c)[1][1]}};
                case SPHERICAL -> TestMixtures.scaledIdentity(truth.covarianceMatrix(c)[0][0], 2);
            };
        }
        weights[3] = 1e-6;
        means[3] = new double[] {1e4, -1e4};
        covariances[3] = type == CovarianceType.TIED ? truth.covarianceMatrix(0) : TestMixtures.scaledIdentity(1, 2);
        Mixture start = Mixture.fromFullCovariances(type, weights, means, covariances);
        List<String> warnings = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };

        EmResult result = EmFitter.fit(s.data(), options(4, type).initialModel(start).tol(1e-6).build(), listener);

        assertEquals(3, result.model().k(), "the far component should be dropped");
        assertEquals(4, result.history().get(0).components());
        assertTrue(Double.isFinite(result.meanLogLikelihood()));
        for (int c = 0; c < 3; c++) {
            assertTrue(Arrays.stream(result.model().mean(c)).allMatch(v -> Math.abs(v) < 100), "mean " + c);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("component 3"), warnings.get(0));
    }

    @ParameterizedTest
    @EnumSource(value = InitMode.class, names = {"AUTO", "RANDOM", "KMEANS_PLUS_PLUS", "KMEANS_PARALLEL"})
    void fewerDistinctRowsThanComponentsAreRejected(InitMode mode) {
        double[] values = new double[2 * 40];
        for (int i = 0; i < 40; i++) {
            values[2 * i] = i % 2;
            values[2 * i + 1] = 5 * (i % 2);
        }
        EmOptions o = options(3, CovarianceType.FULL).initMode(mode).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(InMemoryBlockData.of(values, 2), o));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    }

    @Test
    void fewerRowsThanComponentsAreRejected() {
        EmOptions o = options(3, CovarianceType.DIAG).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(InMemoryBlockData.of(new double[] {0, 0, 1, 1}, 2), o));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void rowsWhoseWeightsSumToZeroAreRejected() {
        EmOptions o = options(1, CovarianceType.DIAG).build();
        assertThrows(IllegalArgumentException.class,
                () -> fit(InMemoryBlockData.of(new double[] {0, 0, 1, 1}, new double[] {0, 0}, 2, 10), o));
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void rowsOfWeightTwoFitLikeDuplicatedRows(CovarianceType type) {
        Sample s = threeComponents(3, 500, 900);
        int d = 3;
        int n = s.rows();
        double[] twos = new double[n];
        Arrays.fill(twos, 2.0);
        double[] duplicated = new double[2 * n * d];
        System.arraycopy(s.values(), 0, duplicated, 0, n * d);
        System.arraycopy(s.values(), 0, duplicated, n * d, n * d);
        Mixture start = fit(s.data(), options(3, type).maxIter(2).build()).model();
        // tol 0: both fits run exactly maxIter iterations.
        EmOptions o = options(3, type).initialModel(start).tol(0).maxIter(30).build();

        EmResult weighted = fit(InMemoryBlockData.of(s.values(), twos, d, 64), o);
        EmResult copies = fit(InMemoryBlockData.of(duplicated, null, d, 64), o);

        assertSameMixture(copies.model(), weighted.model(), 1e-9);
        for (int j = 0; j < copies.history().size(); j++) {
            double expected = copies.history().get(j).meanLogLikelihood();
            assertEquals(expected, weighted.history().get(j).meanLogLikelihood(), 1e-9 * Math.abs(expected));
        }
        assertEquals(copies.totalWeight(), weighted.totalWeight(), 0.0);
        assertEquals(copies.bic(), weighted.bic(), 1e-9 * Math.abs(copies.bic()));
        assertEquals(n, weighted.rows());
        assertEquals(2L * n, copies.rows());
    }

    /**
     * Data with exactly repeated rows (integer-coded features, say): three distinct points each
     * repeated 200 times hold enough distinct rows for k = 3, so every init mode must fit them.
     */
    static List<Arguments> initModesAndSampleSizes() {
        List<Arguments> out = new ArrayList<>();
        for (InitMode mode : List.of(InitMode.RANDOM, InitMode.KMEANS_PLUS_PLUS, InitMode.KMEANS_PARALLEL)) {
            for (int sampleSize : new int[] {EmOptions.DEFAULT_SAMPLE_SIZE, 50}) {
                out.add(Arguments.of(mode, sampleSize));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} sampleSize={1}")
    @MethodSource("initModesAndSampleSizes")
    void repeatedRowsWithAtLeastKDistinctValuesCanBeFitted(InitMode mode, int sampleSize) {
        double[][] points = {{0, 0}, {1, 0}, {0, 10}};
        int copies = 200;
        double[] values = new double[3 * copies * 2];
        for (int i = 0; i < 3 * copies; i++) {
            System.arraycopy(points[i % 3], 0, values, 2 * i, 2);
        }
        EmOptions o = options(3, CovarianceType.DIAG).initMode(mode).sampleSize(sampleSize).build();

        EmResult result = fit(InMemoryBlockData.of(values, 2), o);

        assertEquals(3, result.model().k());
        assertFalse(Double.isNaN(result.meanLogLikelihood()));
    }
}
