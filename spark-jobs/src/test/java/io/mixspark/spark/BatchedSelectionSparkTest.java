package io.mixspark.spark;

import static io.mixspark.testing.FitAssertions.assertSameFit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.select.ModelSelection;
import io.mixspark.select.ModelSelection.Candidate;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Selection;
import io.mixspark.testing.CountingBlockData;
import io.mixspark.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched grid on cached Spark blocks: with 1, 3 and 8 partitions, every candidate is the fit
 * of that candidate alone in memory (to 1e-9), and the grid runs one job per round, not one per
 * fit per iteration.
 */
class BatchedSelectionSparkTest {

    private static final List<Integer> KS = List.of(1, 2, 3, 4);
    private static final List<CovarianceType> TYPES = CovarianceType.multivariate();

    private static InMemoryBlockData iris;
    private static final Map<String, EmResult> ALONE = new HashMap<>();
    /** The cells that fail alone, with their message. */
    private static final Map<String, String> FAILED = new HashMap<>();
    private static int alonePasses;
    private static int inMemoryGridPasses;

    private static EmOptions base() {
        return EmOptions.builder(1, CovarianceType.FULL).nInit(2).tol(1e-5).maxIter(300).kernel("java").seed(11)
                .build();
    }

    @BeforeAll
    static void fitEachCandidateAloneInMemory() {
        Fixtures.Dataset data = Fixtures.dataset("iris");
        iris = InMemoryBlockData.of(data.values(), null, data.d(), 10);
        for (CovarianceType type : TYPES) {
            for (int k : KS) {
                CountingBlockData counting = new CountingBlockData(iris);
                try {
                    ALONE.put(k + type.id(), EmFitter.fit(counting,
                            base().toBuilder().k(k).covarianceType(type).build(), FitListener.NONE));
                } catch (IllegalArgumentException | NumericalFailureException e) {
                    FAILED.put(k + type.id(), e.getMessage());
                }
                alonePasses += counting.passes();
            }
        }
        CountingBlockData grid = new CountingBlockData(iris);
        ModelSelection.select(grid, KS, TYPES, base(), Criterion.BIC, FitListener.NONE);
        inMemoryGridPasses = grid.passes();
    }

    @Test
    void everyCandidateIsItsFitAloneWithOneThreeAndEightPartitions() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        for (int partitions : new int[] {1, 3, 8}) {
            try (SparkBlockData blocks = new SparkBlockData(sc.parallelize(iris.blocks(), partitions), iris.dimension(),
                    SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
                CountingBlockData jobs = new CountingBlockData(blocks);
                Selection selection = ModelSelection.select(jobs, KS, TYPES, base(), Criterion.BIC, FitListener.NONE);

                assertEquals(ALONE.size(), selection.candidates().size(), partitions + " partitions");
                assertEquals(FAILED.size(), selection.failures().size(), partitions + " partitions");
                for (ModelSelection.Failure f : selection.failures()) {
                    assertEquals(FAILED.get(f.k() + f.covarianceType().id()), f.reason(), f.describe());
                }
                for (Candidate c : selection.candidates()) {
                    assertSameFit(ALONE.get(c.k() + c.covarianceType().id()), c.result(), 1e-9,
                            partitions + " partitions, k=" + c.k() + " " + c.covarianceType().id());
                }
                assertEquals(inMemoryGridPasses, jobs.passes(), partitions + " partitions: passes");
                assertTrue(jobs.passes() * 5 < alonePasses, jobs.passes() + " passes for the grid, "
                        + alonePasses + " for its fits one by one");
            }
        }
    }
}
