package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.metrics.ClusteringMetrics;
import org.junit.jupiter.api.Test;

class SketchAndLiftTest {

    static final SdpOptions OPTIONS = SdpOptions.DEFAULTS.withTolerance(1e-4);

    @Test
    void recoversSeparatedClustersFromATenPercentSample() {
        // The authors' setting: n = 2000, gamma = 0.1, here at l = 1.5 of the full-data threshold.
        IsotropicMixture data = IsotropicMixture.draw(2001, 3, 3, 1.5, 7);
        InMemoryBlockData rows = InMemoryBlockData.of(data.x(), null, 3, 256);
        SketchAndLiftResult fit = SketchAndLift.fit(rows, 3, 0.1, 42, OPTIONS);
        // Binomial(2001, 0.1): mean 200, sd 13.4.
        assertTrue(Math.abs(fit.sampleSize() - 200) < 55, "sample of " + fit.sampleSize() + " rows");
        int[] labels = SketchAndLift.assign(rows, fit);
        assertEquals(2001, labels.length);
        double rate = ClusteringMetrics.misclusteringRate(data.truth(), labels);
        assertTrue(rate < 0.005, "misclustering rate " + rate);
        // Each centroid lies near a true centre (Delta / sqrt 2) e_c: sample means of ~67 rows.
        double shift = data.delta() / Math.sqrt(2);
        for (int c = 0; c < 3; c++) {
            double[] centre = fit.centre(c);
            int nearest = 0;
            for (int a = 1; a < 3; a++) {
                if (centre[a] > centre[nearest]) {
                    nearest = a;
                }
            }
            for (int a = 0; a < 3; a++) {
                assertEquals(a == nearest ? shift : 0.0, centre[a], 0.5, "centre " + c + " coordinate " + a);
            }
        }
    }

    @Test
    void sameFitWhateverTheBlocking() {
        IsotropicMixture data = IsotropicMixture.draw(600, 3, 3, 1.2, 3);
        SketchAndLiftResult oneBlock = SketchAndLift.fit(InMemoryBlockData.of(data.x(), 3), 3, 0.2, 5, OPTIONS);
        SketchAndLiftResult manyBlocks = SketchAndLift.fit(InMemoryBlockData.of(data.x(), null, 3, 37), 3, 0.2, 5, OPTIONS);
        assertEquals(oneBlock.sampleSize(), manyBlocks.sampleSize());
        assertArrayEquals(oneBlock.centres(), manyBlocks.centres(), 0.0);
        int[] a = SketchAndLift.assign(InMemoryBlockData.of(data.x(), 3), oneBlock);
        int[] b = SketchAndLift.assign(InMemoryBlockData.of(data.x(), null, 3, 37), manyBlocks);
        assertArrayEquals(a, b);
        // Another hash seed draws another sample.
        SketchAndLiftResult other = SketchAndLift.fit(InMemoryBlockData.of(data.x(), 3), 3, 0.2, 6, OPTIONS);
        assertTrue(other.sampleSize() != oneBlock.sampleSize()
                || !java.util.Arrays.equals(other.sample().z(), oneBlock.sample().z()));
    }

    @Test
    void labelsPassMergeIsAssociativeAndOrdered() {
        var pass = SketchAndLift.labelsPass(new double[] {0, 10}, 2);
        int[] left = pass.add(pass.zero(), DataBlock.of(new double[] {1, 9}, 1));
        int[] middle = pass.add(pass.zero(), DataBlock.of(new double[] {8}, 1));
        int[] right = pass.add(pass.zero(), DataBlock.of(new double[] {-3, 4.9, 5.1}, 1));
        int[] expected = {0, 1, 1, 0, 0, 1};
        assertArrayEquals(expected, pass.merge(pass.merge(left, middle), right));
        assertArrayEquals(expected, pass.merge(left, pass.merge(middle, right)));
        assertArrayEquals(left, pass.merge(pass.zero(), left));
    }

    @Test
    void rejectsBadInputs() {
        InMemoryBlockData rows = InMemoryBlockData.of(new double[] {0, 1, 2, 3, 4, 5}, 1);
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> SketchAndLift.fit(rows, 3, 0.01, 1, OPTIONS));
        assertTrue(tiny.getMessage().contains("fewer than k = 3"), tiny.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SketchAndLift.fit(rows, 2, 0, 1, OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> SketchAndLift.fit(rows, 2, 1.5, 1, OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> SketchAndLift.fit(rows, 0, 0.5, 1, OPTIONS));
        InMemoryBlockData weighted = InMemoryBlockData.of(new double[] {0, 1, 2, 3}, new double[] {1, 2, 1, 1}, 1, 10);
        assertThrows(IllegalArgumentException.class, () -> SketchAndLift.fit(weighted, 2, 1.0, 1, OPTIONS));
        SdpResult solve = new SdpResult(new int[] {0, 1}, 2, 0, 0, 0, 0, true, new double[4]);
        assertThrows(IllegalArgumentException.class, () -> new SketchAndLiftResult(new double[3], 2, 2, 2, solve));
        assertThrows(IllegalArgumentException.class, () -> new SketchAndLiftResult(new double[4], 2, 2, 3, solve));
        assertThrows(IllegalArgumentException.class,
                () -> new SketchAndLiftResult(new double[] {0, 0, Double.NaN, 0}, 2, 2, 2, solve));
    }
}
