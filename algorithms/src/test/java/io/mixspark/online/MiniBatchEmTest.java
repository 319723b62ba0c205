package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.Fixtures;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Mini-batch EM reaches batch EM's log-likelihood, from the same start, in at most 3 passes. */
class MiniBatchEmTest {

    private static final double NATS = 0.01;
    /** The defaults, as {@code fit --method minibatch} runs them without options. */
    private static final MiniBatchOptions DEFAULTS = MiniBatchOptions.of(MiniBatchOptions.DEFAULT_BATCH_ROWS,
            MiniBatchOptions.DEFAULT_PASSES, MiniBatchOptions.DEFAULT_FINISH_ITERATIONS);

    /** Batch EM to convergence from a start. */
    private static EmResult batchEm(InMemoryBlockData data, Mixture start, double regCovar) {
        EmOptions options = EmOptions.builder(start.k(), start.covarianceType()).initialModel(start).tol(1e-7)
                .maxIter(2000).regCovar(regCovar).kernel("java").build();
        return EmFitter.fit(data, options, FitListener.NONE);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void wellSeparatedDataWithinAHundredthOfANatInThreePasses(CovarianceType type) {
        Random random = new Random(41);
        Mixture truth = Streams.separated(random, type, 5, 4, 6);
        InMemoryBlockData data = InMemoryBlockData.of(truth.sample(100_000, random, null), null, 4, 1000);
        EmOptions options = EmOptions.builder(5, type).seed(3).kernel("java").build();
        Mixture start = EmFitter.initialMixture(data, options, 0, FitListener.NONE);
        double batch = batchEm(data, start, options.regCovar()).meanLogLikelihood();
        for (int finish = 0; finish <= 1; finish++) {
            EmResult mini = MiniBatchEm.run(data, start, options, MiniBatchOptions.of(5_000, 3, finish),
                    FitListener.NONE);
            assertEquals(3 + finish, mini.history().size());
            assertTrue(batch - mini.meanLogLikelihood() < NATS, type + " with " + finish + " finishing iterations: "
                    + mini.meanLogLikelihood() + " vs batch EM " + batch);
        }
    }

    static List<Arguments> foundationCases() {
        return Fixtures.sklearnCases();
    }

    /**
     * On a table smaller than a step, mini-batch EM with its defaults is batch EM: each step covers the
     * whole table and so is a batch EM iteration, and the finishing iterations run to batch EM's own
     * convergence test. From scikit-learn's start, with the same options, the two agree whatever the
     * block order (seeds 11 to 20; the defaults were looked at on seeds 1 to 5, {@link MiniBatchTuning}).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("foundationCases")
    void defaultsGiveBatchEmsAnswerOnTheFoundationDatasets(String name, CovarianceType type) {
        Fixtures.Dataset dataset = Fixtures.dataset(name);
        JsonNode reference = Fixtures.json("reference/em_" + name + ".json");
        Mixture start = Fixtures.mixture(reference.get("cases").get(type.alias()).get("initial"), type);
        InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
        for (long seed = 11; seed <= 20; seed++) {
            EmOptions options = EmOptions.builder(start.k(), type).regCovar(reference.get("regCovar").asDouble())
                    .seed(seed).kernel("java").build();
            double batch = EmFitter.fit(data, options.toBuilder().initialModel(start).build(), FitListener.NONE)
                    .meanLogLikelihood();
            EmResult mini = MiniBatchEm.run(data, start, options, DEFAULTS, FitListener.NONE);
            assertTrue(batch - mini.meanLogLikelihood() < NATS, name + " " + type + " seed " + seed + ": "
                    + mini.meanLogLikelihood() + " vs batch EM " + batch);
        }
    }

    /** A group of blocks holding the whole table takes step 1, whatever the step schedule says: an EM iteration. */
    @Test
    void aStepOverTheWholeTableIsABatchEmIteration() {
        Fixtures.Dataset dataset = Fixtures.dataset("iris");
        InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(1).kernel("java").build();
        Mixture start = EmFitter.initialMixture(data, options, 0, FitListener.NONE);
        EmOptions three = options.toBuilder().initialModel(start).maxIter(3).tol(0).build();
        Mixture batch = EmFitter.fit(data, three, FitListener.NONE).model();
        // steps 1 and 2 over the whole table (the schedule alone would give the second 2^-0.51), then one EM iteration
        Mixture mini = MiniBatchEm.run(data, start, options, MiniBatchOptions.of(1_000, 2, 1), FitListener.NONE)
                .model();
        for (int c = 0; c < 3; c++) {
            assertEquals(batch.weight(c), mini.weight(c), 1e-9, "weight " + c);
            for (int j = 0; j < dataset.d(); j++) {
                assertEquals(batch.mean(c)[j], mini.mean(c)[j], 1e-9, "mean " + c + "," + j);
            }
        }
    }
}
