package io.mixspark.spark;

import static io.mixspark.testing.StatisticsAssertions.assertSameStatistics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mixspark.data.BlockStorage;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.online.MiniBatchEm;
import io.mixspark.online.MiniBatchOptions;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Passes over some cached blocks: the in-memory result, from tasks on the chosen partitions only. */
class SparkBlockSubsetTest {

    private static final int D = 3;
    private static final int PARTITIONS = 4;
    private static JavaSparkContext sc;
    private static List<DataBlock> blocks;
    private static Mixture model;

    @BeforeAll
    static void data() {
        sc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        Random random = new Random(23);
        model = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, random);
        blocks = InMemoryBlockData.of(model.sample(1000, random, null), null, D, 40).blocks();
    }

    private static long tasks(SparkBlockData data) {
        return data.kernelsUsed().values().stream().mapToLong(Long::longValue).sum();
    }

    @ParameterizedTest
    @EnumSource(BlockStorage.class)
    void aPassOverSomeBlocksMatchesInMemoryAndRunsOnTheirPartitionsOnly(BlockStorage storage) {
        JavaRDD<DataBlock> packed = sc.parallelize(blocks, PARTITIONS);
        List<Integer> partitionSizes = packed.glom().map(List::size).collect();
        try (SparkBlockData data = new SparkBlockData(packed, D, 2, storage)) {
            InMemoryBlockData reference = new InMemoryBlockData(data.blocks().collect(), D);
            assertArrayEquals(reference.blockRows(), data.blockRows());
            int[] chosen = {24, 3, 17, 4};
            TreeSet<Integer> holding = new TreeSet<>();
            for (int b : chosen) {
                int p = 0;
                for (int start = partitionSizes.get(0); b >= start; start += partitionSizes.get(++p)) {
                    // walks to the partition whose blocks include b
                }
                holding.add(p);
            }
            long before = tasks(data);
            SufficientStatistics got = data.aggregate(new ExpectationPass(model, "java"), chosen);
            assertEquals(holding.size(), tasks(data) - before, "tasks of the pass, on partitions " + holding);
            assertSameStatistics(reference.aggregate(new ExpectationPass(model, "java"), chosen), got, 1e-10, true);
            assertEquals(160, got.rows());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> data.aggregate(new ExpectationPass(model, "java"), new int[] {25}));
            assertEquals("block index 25 is out of range: the data has 25 blocks", e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI"})
    void miniBatchEmOverSparkEqualsMiniBatchEmInMemory(CovarianceType type) {
        try (SparkBlockData data = new SparkBlockData(sc.parallelize(blocks, PARTITIONS), D, 2)) {
            InMemoryBlockData reference = new InMemoryBlockData(data.blocks().collect(), D);
            Mixture start = RandomMixtures.draw(3, D, type, 3, new Random(5));
            EmOptions options = EmOptions.builder(3, type).seed(9).kernel("java").build();
            MiniBatchOptions miniBatch = MiniBatchOptions.of(150, 2, 1);
            EmResult spark = MiniBatchEm.run(data, start, options, miniBatch, FitListener.NONE);
            EmResult memory = MiniBatchEm.run(reference, start, options, miniBatch, FitListener.NONE);
            assertEquals(memory.meanLogLikelihood(), spark.meanLogLikelihood(),
                    1e-9 * Math.abs(memory.meanLogLikelihood()));
            assertEquals(memory.history().size(), spark.history().size());
            assertArrayEquals(memory.model().weights(), spark.model().weights(), 1e-9);
        }
    }
}
