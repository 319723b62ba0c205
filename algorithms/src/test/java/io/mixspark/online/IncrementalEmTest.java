package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Incremental mini-batch EM on real multi-group runs: blocks of 10 rows, 30-row groups (5 to 19
 * groups on tables of 150 to 569 rows), 3 passes, then the default finishing EM iterations, from
 * scikit-learn's start on the foundation datasets (full, diag, spherical, tied), against batch EM
 * from the same start. The passes were chosen on block-order seeds 1 to 5 (2 passes left breast
 * cancer diag 0.099 short on one); seeds 11 to 20 are asserted. The claim is that of docs/STREAMING.md:
 * at least 95% of the runs end within 0.01 nats per row of batch EM, and none leaves its basin (more
 * than 0.05 short). Measured on seeds 11 to 20: 118 of 120 within 0.01, the other two (wine diag,
 * seeds 12 and 17) 0.0106 short. Stochastic (online-EM) steps with the same groups miss by up to 10
 * nats on most runs.
 */
class IncrementalEmTest {

    private static final double NATS = 0.01;
    private static final double SHARE_WITHIN = 0.95;
    private static final double SAME_BASIN = 0.05;
    private static final MiniBatchOptions INCREMENTAL = MiniBatchOptions.of(30, 3,
            MiniBatchOptions.DEFAULT_FINISH_ITERATIONS).withUpdate(MiniBatchOptions.Update.INCREMENTAL);

    @Test
    void manyGroupsEndWithinAHundredthOfANatOfBatchEm() {
        int runs = 0;
        int within = 0;
        StringBuilder misses = new StringBuilder();
        for (Arguments arguments : MiniBatchEmTest.foundationCases()) {
            String name = (String) arguments.get()[0];
            CovarianceType type = (CovarianceType) arguments.get()[1];
            Fixtures.Dataset dataset = Fixtures.dataset(name);
            JsonNode reference = Fixtures.json("reference/em_" + name + ".json");
            Mixture start = Fixtures.mixture(reference.get("cases").get(type.alias()).get("initial"), type);
            InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
            assertTrue(MiniBatchEm.groups(data.blockRows(), 30, new java.util.Random(1)).size() >= 5);
            for (long seed = 11; seed <= 20; seed++) {
                EmOptions options = EmOptions.builder(start.k(), type).regCovar(reference.get("regCovar").asDouble())
                        .seed(seed).kernel("java").build();
                double batch = EmFitter.fit(data, options.toBuilder().initialModel(start).build(), FitListener.NONE)
                        .meanLogLikelihood();
                EmResult mini = MiniBatchEm.run(data, start, options, INCREMENTAL, FitListener.NONE);
                double gap = batch - mini.meanLogLikelihood();
                String run = name + " " + type + " seed " + seed + ": " + mini.meanLogLikelihood() + " vs batch EM "
                        + batch;
                assertTrue(gap < SAME_BASIN, run);
                runs++;
                if (gap < NATS) {
                    within++;
                } else {
                    misses.append(run).append('\n');
                }
            }
        }
        assertTrue(within >= SHARE_WITHIN * runs, within + " of " + runs + " runs within " + NATS + "; misses:\n"
                + misses);
    }

    /** With one group a step is a batch EM iteration, exactly: the kept statistics are the whole table's. */
    @Test
    void oneGroupIsBatchEm() {
        Fixtures.Dataset dataset = Fixtures.dataset("iris");
        InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(1).kernel("java").build();
        Mixture start = EmFitter.initialMixture(data, options, 0, FitListener.NONE);
        Mixture batch = EmFitter.fit(data, options.toBuilder().initialModel(start).maxIter(3).tol(0).build(),
                FitListener.NONE).model();
        // 2 passes of one step each, then one EM iteration
        Mixture mini = MiniBatchEm.run(data, start, options, MiniBatchOptions.of(1_000, 2, 1)
                .withUpdate(MiniBatchOptions.Update.INCREMENTAL), FitListener.NONE).model();
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(batch.mean(c), mini.mean(c), 1e-9, "mean " + c);
            assertArrayEquals(batch.covariance(c), mini.covariance(c), 1e-9, "covariance " + c);
        }
    }

    /** Steps reach afterStep numbered 1, 2, ... across passes, whatever order the groups are visited in. */
    @Test
    void stepsAreNumberedInTheOrderTheyAreTaken() {
        Fixtures.Dataset dataset = Fixtures.dataset("iris");
        InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(3).kernel("java").build();
        Mixture start = EmFitter.initialMixture(data, options, 0, FitListener.NONE);
        java.util.List<Integer> steps = new java.util.ArrayList<>();
        MiniBatchEm.run(data, start, options, MiniBatchOptions.of(30, 2, 0).withUpdate(MiniBatchOptions.Update.INCREMENTAL),
                FitListener.NONE, (model, step) -> steps.add(step));
        int groups = MiniBatchEm.groups(data.blockRows(), 30, new java.util.Random(1)).size();
        assertTrue(groups >= 5, groups + " groups");
        java.util.List<Integer> expected = new java.util.ArrayList<>();
        for (int step = 1; step <= 2 * groups; step++) {
            expected.add(step);
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, steps);
    }
}
