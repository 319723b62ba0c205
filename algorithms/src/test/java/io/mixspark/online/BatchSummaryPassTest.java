package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.SufficientStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a batch summary holds, and that it merges like the E-step statistics. */
class BatchSummaryPassTest {

    private static final OnlineEmOptions GROWING = OnlineEmOptions.builder(2, CovarianceType.FULL).maxK(6)
            .kernel("java").seed(5).build();

    /** A model of the two first clusters, and a batch that adds two new ones. */
    private static OnlineEmState twoClusterState() {
        return Streams.run(Scenarios.growing(31).subList(0, 3), GROWING);
    }

    @Test
    void withoutGrowthTheSummaryIsTheEStep() {
        OnlineEmOptions plain = GROWING.toBuilder().maxK(2).build();
        OnlineEmState state = Streams.run(Scenarios.growing(31).subList(0, 3), plain);
        DataBlock batch = Scenarios.growing(31).get(30);
        BatchSummary summary = OnlineEm.summarise(state, List.of(batch), Scenarios.D, plain);
        SufficientStatistics estep = new ExpectationPass(state.model(), "java").add(SufficientStatistics.empty(), batch);
        assertArrayEquals(estep.sumsView(), summary.all().sumsView());
        assertEquals(estep.logLikelihood(), summary.logLikelihood());
        assertEquals(0, summary.novelRows());
        assertEquals(batch.rows(), summary.rows());
    }

    @Test
    void novelRowsAreKeptApartCountedAndSampled() {
        OnlineEmState state = twoClusterState();
        DataBlock batch = Scenarios.growing(31).get(30);
        BatchSummary summary = OnlineEm.summarise(state, List.of(batch), Scenarios.D, GROWING);
        // Half the rows come from the two new clusters, 12 units from the model's components.
        assertEquals(0.5, summary.novelShare(), 0.03);
        assertEquals(summary.novelRows(), (long) summary.novel().totalWeight());
        assertEquals(Math.min(GROWING.sampleRows(), summary.novelRows()), summary.sample().rows());
        SufficientStatistics estep = new ExpectationPass(state.model(), "java").add(SufficientStatistics.empty(), batch);
        assertEquals(estep.logLikelihood(), summary.logLikelihood(), 1e-9 * Math.abs(estep.logLikelihood()));
        assertEquals(estep.logLikelihood() / batch.rows(), summary.meanLogLikelihood(), 1e-9);
    }

    @Test
    void summariesOfPartsMergeToTheSummaryOfTheWhole() {
        OnlineEmState state = twoClusterState();
        DataBlock batch = Scenarios.growing(31).get(30);
        InMemoryBlockData parts = InMemoryBlockData.of(batch.values(), null, Scenarios.D, 777);
        BatchSummaryPass pass = OnlineEm.summaryPass(state, Scenarios.D, GROWING);
        BatchSummary merged = pass.zero();
        List<DataBlock> blocks = parts.blocks();
        for (int i = blocks.size() - 1; i >= 0; i--) {
            merged = pass.merge(merged, pass.add(pass.zero(), blocks.get(i)));
        }
        BatchSummary whole = OnlineEm.summarise(state, List.of(batch), Scenarios.D, GROWING);
        assertEquals(whole.rows(), merged.rows());
        assertEquals(whole.novelRows(), merged.novelRows());
        assertEquals(whole.sample(), merged.sample());
        assertEquals(whole.logLikelihood(), merged.logLikelihood(), 1e-9 * Math.abs(whole.logLikelihood()));
        for (int c = 0; c < state.k(); c++) {
            assertEquals(whole.ordinary().count(c), merged.ordinary().count(c), 1e-9 * batch.rows());
        }
        assertTrue(merged.novelRows() > 0);
    }

    @Test
    void beforeTheFirstModelEveryRowIsNovelAndSampled() {
        DataBlock batch = Scenarios.stationary(32).get(0);
        BatchSummary summary = OnlineEm.summarise(OnlineEmState.empty(), List.of(batch), Scenarios.D, GROWING);
        assertEquals(batch.rows(), summary.novelRows());
        assertEquals(batch.rows(), summary.sample().rows());
        assertTrue(Double.isNaN(summary.meanLogLikelihood()));
    }
}
