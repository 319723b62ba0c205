package io.mixspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Scoring;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.sdp.BurerMonteiroFit;
import io.mixspark.sdp.BurerMonteiroOptions;
import io.mixspark.sdp.BurerMonteiroResult;
import io.mixspark.sdp.BurerMonteiroSdp;
import io.mixspark.sdp.BurerMonteiroSolver;
import io.mixspark.sdp.SdpFit;
import io.mixspark.sdp.SdpSettings;
import io.mixspark.testing.AxisClusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SDP solvers on Spark: Burer-Monteiro with the factor partitioned with the rows, and SparkSdpFit. */
class SparkSdpFitTest {

    static final int N = 240;
    static final int D = 4;
    static final int K = 3;
    static double[] x;
    static int[] truth;
    static JavaSparkContext sc;

    @BeforeAll
    static void data() {
        sc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        AxisClusters clusters = AxisClusters.draw(N, D, K, 4.5, 11);
        x = clusters.rows();
        truth = clusters.truth();
    }

    /** The rows in blocks of 16, spread in order over the given number of partitions. */
    static JavaRDD<DataBlock> blocks(int partitions) {
        List<DataBlock> list = new ArrayList<>();
        for (int start = 0; start < N; start += 16) {
            int rows = Math.min(16, N - start);
            list.add(DataBlock.of(Arrays.copyOfRange(x, start * D, (start + rows) * D), D));
        }
        return sc.parallelize(list, partitions).cache();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8})
    void burerMonteiroOverPartitionsGivesTheInMemoryLabels(int partitions) {
        BurerMonteiroOptions options = BurerMonteiroOptions.DEFAULTS.withSeed(2);
        BurerMonteiroResult local = BurerMonteiroSdp.fit(DataBlock.of(x, D), K, options);
        JavaRDD<DataBlock> blocks = blocks(partitions);
        try (SparkFactorData factor = new SparkFactorData(blocks, D, 2)) {
            BurerMonteiroFit fit = BurerMonteiroSolver.solve(factor, K, options, null);
            int[] labels = factor.partitions().collect().stream()
                    .flatMapToInt(p -> Arrays.stream(p.labels())).toArray();
            assertEquals(0.0, ClusteringMetrics.misclusteringRate(local.labels(), labels));
            assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, labels));
            assertEquals(local.iterations(), fit.iterations());
            assertEquals(local.objective(), fit.objective(), 1e-9 * local.objective());
            assertTrue(fit.labelsStable() || fit.converged());
        } finally {
            blocks.unpersist(false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "sketch", "burer-monteiro"})
    void everySolverRecoversWellSeparatedClusters(String solver) {
        SdpSettings settings = new SdpSettings(SdpSettings.Method.KMEANS_SDP, SdpSettings.Solver.parse(solver), K,
                120, SdpSettings.DEFAULT_TOLERANCE, SdpSettings.DEFAULT_MAX_ITERATIONS, 5, "java");
        JavaRDD<DataBlock> blocks = blocks(3);
        SdpFit.Outcome outcome = SparkSdpFit.fit(blocks, D, settings, 2);
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, outcome.model(), DataBlock.of(x, D));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, predicted), solver);
        assertEquals(solver, outcome.diagnostics().get("solver"));
        assertEquals(N, outcome.evaluation().rows());
        assertTrue(Double.isFinite(outcome.evaluation().meanLogLikelihood()));
        for (int c = 0; c < K; c++) {
            assertEquals(1.0 / K, outcome.model().weight(c), 1e-15);
        }
    }

    /**
     * An elongated cluster (sd 3 on axis 0) beside a compact one (sd 0.5), means 4 apart on axis 1:
     * iLA-SDP's Gaussian lift keeps the elongated cluster whole on every row, dense or sketched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dense", "sketch"})
    void ilaSdpLiftsDifferentShapesWithTheGaussianRule(String solver) {
        // The dense solve runs iLA-SDP from each of its starts on every row: 200 rows keep it in seconds.
        int n = solver.equals("dense") ? 200 : 400;
        int d = 5;
        Random random = new Random(3);
        double[] rows = new double[n * d];
        int[] shapes = new int[n];
        for (int i = 0; i < n; i++) {
            shapes[i] = i % 2;
            for (int a = 0; a < d; a++) {
                double sd = shapes[i] == 0 ? (a == 0 ? 3 : 1) : 0.5;
                rows[i * d + a] = sd * random.nextGaussian() + (shapes[i] == 1 && a == 1 ? 4 : 0);
            }
        }
        List<DataBlock> list = new ArrayList<>();
        for (int start = 0; start < n; start += 50) {
            list.add(DataBlock.of(Arrays.copyOfRange(rows, start * d, (start + 50) * d), d));
        }
        JavaRDD<DataBlock> blocks = sc.parallelize(list, 2);
        SdpSettings settings = new SdpSettings(SdpSettings.Method.ILA_SDP, SdpSettings.Solver.parse(solver), 2, 200,
                SdpSettings.DEFAULT_TOLERANCE, 2000, 1, "java");
        SdpFit.Outcome outcome = SparkSdpFit.fit(blocks, d, settings, 2);
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, outcome.model(), DataBlock.of(rows, d));
        assertTrue(ClusteringMetrics.misclusteringRate(shapes, predicted) < 0.02,
                solver + ": " + ClusteringMetrics.misclusteringRate(shapes, predicted));
        assertEquals(io.mixspark.gmm.CovarianceType.FULL, outcome.model().covarianceType());
        assertTrue((Integer) outcome.diagnostics().get("rounds") >= 1);
    }
}
