package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Online EM against batch EM on streams from known mixtures. Settings were chosen on seeds 1 to 3
 * ({@link Tuning}); these tests use other seeds.
 */
class OnlineEmTest {

    /** The constant step the drift test uses: on the tuning seeds 0.3 tracked the move best. */
    private static final double DRIFT_DECAY = 0.3;

    private static OnlineEmOptions.Builder options(int k) {
        return OnlineEmOptions.builder(k, CovarianceType.FULL).kernel("java").seed(7);
    }

    @Test
    void stationaryStreamEndsWithinAHundredthOfANatOfBatchEm() {
        List<DataBlock> stream = Scenarios.stationary(11);
        OnlineEmState end = Streams.run(stream, options(Scenarios.K).build());
        double batch = Streams.batchEm(stream, Scenarios.K, CovarianceType.FULL, 11);
        double online = Streams.meanLogLikelihood(end.model(), stream);
        assertEquals(Scenarios.BATCHES, end.updates());
        assertEquals(Scenarios.BATCHES - 1, end.lastBatchId());
        assertTrue(batch - online < 0.01, "online " + online + " vs batch EM " + batch);
    }

    @Test
    void decayTracksADriftingStreamAndTheDecreasingStepLagsBehind() {
        List<DataBlock> stream = Scenarios.drifting(12);
        List<DataBlock> last = stream.subList(Scenarios.BATCHES / 2, Scenarios.BATCHES);
        double batch = Streams.batchEm(last, Scenarios.K, CovarianceType.FULL, 12);
        double withDecay = Streams.meanLogLikelihood(
                Streams.run(stream, options(Scenarios.K).decay(DRIFT_DECAY).build()).model(), last);
        double withoutDecay = Streams.meanLogLikelihood(Streams.run(stream, options(Scenarios.K).build()).model(), last);
        assertTrue(batch - withDecay < 0.05, "with decay " + withDecay + " vs batch EM on the last 20 " + batch);
        assertTrue(withDecay - withoutDecay > 0.015, "without decay " + withoutDecay + " should trail decay "
                + withDecay + " (batch EM " + batch + ")");
    }

    @Test
    void twoNewClustersGrowTheModelToAboutFourComponents() {
        List<DataBlock> stream = Scenarios.growing(13);
        List<Integer> ks = new ArrayList<>();
        OnlineEmState end = Streams.run(OnlineEmState.empty(), stream, options(2).maxK(8).build(),
                s -> ks.add(s.k()));
        assertEquals(2, ks.get(Scenarios.BATCHES / 2 - 1), "before the new clusters: " + ks);
        assertTrue(Math.abs(end.k() - 4) <= 1, "components per batch: " + ks);
    }

    @Test
    void aStationaryStreamDoesNotGrowTheModelWhenGrowthIsAllowed() {
        List<DataBlock> stream = Scenarios.stationary(14);
        List<Integer> ks = new ArrayList<>();
        OnlineEmState end = Streams.run(OnlineEmState.empty(), stream, options(Scenarios.K).maxK(8).build(),
                s -> ks.add(s.k()));
        assertTrue(ks.stream().allMatch(k -> k == Scenarios.K), "components per batch: " + ks);
        double batch = Streams.batchEm(stream, Scenarios.K, CovarianceType.FULL, 14);
        assertTrue(batch - Streams.meanLogLikelihood(end.model(), stream) < 0.01);
    }

    @Test
    void withoutMaxKAboveKTheModelNeverGrows() {
        List<DataBlock> stream = Scenarios.growing(13);
        List<Integer> ks = new ArrayList<>();
        Streams.run(OnlineEmState.empty(), stream, options(2).build(), s -> ks.add(s.k()));
        assertTrue(ks.stream().allMatch(k -> k == 2), "components per batch: " + ks);
    }
}
