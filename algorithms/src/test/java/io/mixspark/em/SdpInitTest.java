package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Scoring;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code --init sdp}: EM started from the k-means SDP's clusters on a sample. */
class SdpInitTest {

    /**
     * Four unequal clusters in d = 6, one of them 10x smaller than the largest; the SDP start solves on
     * all 1300 rows (below its 2000-row sample).
     */
    static double[] data(int[] truth, long seed) {
        Random random = new Random(seed);
        int[] sizes = {500, 500, 250, 50};
        double[] x = new double[truth.length * 6];
        int row = 0;
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < sizes[c]; i++, row++) {
                truth[row] = c;
                for (int a = 0; a < 6; a++) {
                    x[row * 6 + a] = random.nextGaussian() + (a == c ? 6 : 0);
                }
            }
        }
        return x;
    }

    @Test
    void sdpStartRecoversTheClustersAndIsPartitionFree() {
        int[] truth = new int[1300];
        double[] x = data(truth, 4);
        EmOptions options = EmOptions.builder(4, CovarianceType.FULL).kernel("java").initMode(InitMode.SDP)
                .maxIter(1).seed(9).build();
        EmResult start = EmFitter.fit(InMemoryBlockData.of(x, null, 6, 4096), options, FitListener.NONE);
        EmResult split = EmFitter.fit(InMemoryBlockData.of(x, null, 6, 97), options, FitListener.NONE);
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, start.model(), DataBlock.of(x, 6));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(truth, predicted), 0.002);
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(start.model().mean(c), split.model().mean(c), 1e-9);
        }
        EmResult fitted = EmFitter.fit(InMemoryBlockData.of(x, 6), EmOptions.builder(4, CovarianceType.FULL)
                .kernel("java").initMode(InitMode.SDP).seed(9).build(), FitListener.NONE);
        assertTrue(fitted.meanLogLikelihood() >= start.meanLogLikelihood());
        assertEquals(InitMode.SDP, InitMode.parse("SDP"));
    }
}
