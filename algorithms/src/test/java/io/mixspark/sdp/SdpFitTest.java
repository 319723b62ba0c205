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
