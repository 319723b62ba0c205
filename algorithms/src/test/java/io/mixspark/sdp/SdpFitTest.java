package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Scoring;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.testing.AxisClusters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SDP clustering in memory: every solver, and the settings it refuses (Spark: SparkSdpFitTest). */
class SdpFitTest {

    static final int N = 240;
    static final int D = 4;
    static final int K = 3;
    static double[] x;
    static int[] truth;

    @BeforeAll
    static void data() {
        AxisClusters clusters = AxisClusters.draw(N, D, K, 4.5, 11);
        x = clusters.rows();
        truth = clusters.truth();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "sketch", "burer-monteiro"})
    void everySolverRecoversWellSeparatedClustersInMemory(String solver) {
        SdpSettings settings = new SdpSettings(SdpSettings.Method.KMEANS_SDP, SdpSettings.Solver.parse(solver), K,
                120, SdpSettings.DEFAULT_TOLERANCE, SdpSettings.DEFAULT_MAX_ITERATIONS, 5, "java");
        List<String> progress = new ArrayList<>();
        SdpFit.Outcome outcome = SdpFit.fit(InMemoryBlockData.of(x, null, D, 16), settings, InMemoryFactorData::new,
                progress::add);
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, outcome.model(), DataBlock.of(x, D));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, predicted), solver);
        assertEquals(solver, outcome.diagnostics().get("solver"));
        assertEquals(N, outcome.evaluation().rows());
        assertEquals(solver.equals("burer-monteiro"), !progress.isEmpty(), "only Burer-Monteiro reports progress");
        // The dense solve bounds the cost of its partition of every row; the sketch's bound covers
        // only the sampled rows (and Burer-Monteiro, started from the sketch, reports that one).
        // These clusters lie near the exact-recovery threshold, so the bound is close but not tight.
        java.util.Map<String, Object> diagnostics = outcome.diagnostics();
        String prefix = solver.equals("dense") ? "" : "sketch";
        double bound = (Double) diagnostics.get(SdpFit.key(prefix, "dualBound"));
        double cost = (Double) diagnostics.get(SdpFit.key(prefix, "partitionCost"));
        double gap = (Double) diagnostics.get(SdpFit.key(prefix, "relativeGap"));
        assertTrue(bound > 0.99 * cost && bound <= cost, solver + ": " + diagnostics);
        assertEquals((cost - bound) / cost, gap, 1e-12);
        assertEquals(gap <= KMeansSdpCertificate.TOLERANCE, diagnostics.get(SdpFit.key(prefix, "certifiedOptimal")));
        assertTrue(diagnostics.get(SdpFit.key(prefix, "primalObjective")) instanceof Double, solver);
        assertEquals(solver.equals("dense"), diagnostics.containsKey("dualBound"), solver + ": " + diagnostics);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ilaSdpTakesItsStartsAndRoundsFromTheSettings() {
        SdpSettings.IlaSearch search = new SdpSettings.IlaSearch(1, 1, 0, 1);
        SdpSettings settings = new SdpSettings(SdpSettings.Method.ILA_SDP, SdpSettings.Solver.SKETCH, K, 60,
                SdpSettings.DEFAULT_TOLERANCE, SdpSettings.DEFAULT_MAX_ITERATIONS, 5, "java", search);
        SdpFit.Outcome outcome = SdpFit.fit(InMemoryBlockData.of(x, null, D, 16), settings, InMemoryFactorData::new,
                line -> { });
        List<String> names = new ArrayList<>();
        List<Integer> rounds = new ArrayList<>();
        for (java.util.Map<String, Object> start : (List<java.util.Map<String, Object>>) outcome.diagnostics()
                .get("starts")) {
            names.add((String) start.get("name"));
            rounds.add((Integer) start.get("rounds"));
        }
        // No EM restarts drop both EM starts; one random start; one start rounded, once at most.
        assertEquals(List.of("kmeans-sdp", "random-1"), names, outcome.diagnostics().toString());
        rounds.sort(null);
        assertEquals(List.of(0, 1), rounds, outcome.diagnostics().toString());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new SdpSettings.IlaSearch(0, 2, 10, 10));
        assertTrue(none.getMessage().contains("roundStarts must be >= 1, got 0"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SdpSettings.IlaSearch(1, -1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new SdpSettings.IlaSearch(1, 2, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new SdpSettings.IlaSearch(1, 2, 10, 0));
    }

    @Test
    void denseSolverRefusesTooManyRowsAndIlaHasNoBurerMonteiro() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> SdpFit.allRows(new InMemoryBlockData(List.of(DataBlock.of(x, D)), D),
                        SdpSettings.DENSE_MAX_ROWS + 1, 0));
        assertTrue(tooMany.getMessage().contains("--solver sketch"), tooMany.getMessage());
        IllegalArgumentException ila = assertThrows(IllegalArgumentException.class, () -> new SdpSettings(
                SdpSettings.Method.ILA_SDP, SdpSettings.Solver.BURER_MONTEIRO, K, 100, 1e-4, 100, 0, "java"));
        assertTrue(ila.getMessage().contains("dense or sketch"), ila.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SdpSettings.Solver.parse("admm"));
    }
}
