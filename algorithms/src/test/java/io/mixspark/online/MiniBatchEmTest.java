package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Mini-batch EM reaches batch EM's log-likelihood, from the same start, in at most 3 passes. */
class MiniBatchEmTest {

    private static final double NATS = 0.01;
    /**
     * 30-row steps, 3 passes, 2 finishing iterations, with the smaller steps that batches this small
     * need (alpha 0.6, t0 2; the defaults, made for 10^4 to 10^5 rows a step, are too noisy here).
     */

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

}
