package io.mixspark.spark;

import static io.mixspark.testing.StatisticsAssertions.assertSameStatistics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.BlockStorage;
import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Passes over cached blocks: the in-memory result whichever way the job runs, and its shape. */
class SparkBlockDataTest {

    private static final int D = 3;
    private static JavaSparkContext sc;
    private static InMemoryBlockData reference;
    private static Mixture model;

    @BeforeAll
    static void data() {
        sc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        Random random = new Random(21);
        model = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, random);
        reference = InMemoryBlockData.of(model.sample(1000, random, null), null, D, 40);
    }

    private static JavaRDD<DataBlock> blocks(int partitions) {
        return sc.parallelize(reference.blocks(), partitions);
    }

    @Test
    void everyWayOfRunningAPassGivesTheInMemoryResult() {
        SufficientStatistics expected = reference.aggregate(new ExpectationPass(model, "java"));
        // 2 partitions fold in one job; 8 at depth 2 go through treeAggregate's extra stage.
        for (int partitions : new int[] {1, 2, 8}) {
            for (int depth : new int[] {1, 2}) {
                // 0 bytes sends every pass in a broadcast; the default sends these in the task.
                for (long maxBytesInTask : new long[] {SparkBlockData.MAX_PASS_BYTES_IN_TASK, 0}) {
                    String what = partitions + " partitions, depth " + depth + ", limit " + maxBytesInTask;
                    SufficientStatistics got = SparkBlockData.aggregate(blocks(partitions),
                            new ExpectationPass(model, "java"), depth, maxBytesInTask);
                    assertSameStatistics(expected, got, 1e-10, true);
                    assertEquals(new RowCounts(1000, 1000), SparkBlockData.aggregate(blocks(partitions),
                            RowCounts.pass(), depth, maxBytesInTask), what);
                }
            }
        }
    }

    @Test
    void inLocalModeTheCacheIsACopyWithoutLineage() {
        JavaRDD<DataBlock> packed = blocks(2);
        // Passes kept as Spark jobs: in local mode they would otherwise move to the driver (LocalBlockFoldTest).
        try (SparkBlockData data = new SparkBlockData(packed, D, 2, BlockStorage.DOUBLE, LocalFoldSetting.OFF)) {
            SufficientStatistics got = data.aggregate(new ExpectationPass(model, "java"));
            assertSameStatistics(reference.aggregate(new ExpectationPass(model, "java")), got, 1e-10, true);
            assertTrue(data.blocks().isCheckpointed(), data.blocks().toDebugString());
            assertEquals(StorageLevel.NONE(), packed.getStorageLevel());
            assertEquals(new RowCounts(1000, 1000), data.aggregate(RowCounts.pass()));
        }
        assertEquals(1000, packed.map(DataBlock::rows).reduce(Integer::sum));
    }

    @Test
    void aPassOverTheCacheShipsNoneOfTheTablesPlans() throws Exception {
        Dataset<Row> table = assembled(SharedSpark.session(), 2000, D, 2);
        Mixture small = RandomMixtures.draw(2, D, CovarianceType.FULL, 3, new Random(5));
        JavaRDD<DataBlock> withLineage = BlockPacker.pack(table, "features", null, D, 100)
                .persist(StorageLevel.MEMORY_ONLY());
        try (SparkBlockData ours = new SparkBlockData(BlockPacker.pack(table, "features", null, D, 100), D, 2,
                BlockStorage.DOUBLE, LocalFoldSetting.OFF);
             SparkBlockData theirs = new SparkBlockData(withLineage, D, 2)) {
            ours.aggregate(RowCounts.pass());
            theirs.aggregate(RowCounts.pass());
            long thin = ShippedBytes.during(sc.sc(), () -> ours.aggregate(new ExpectationPass(small, "java")));
            long planned = ShippedBytes.during(sc.sc(), () -> theirs.aggregate(new ExpectationPass(small, "java")));
            assertTrue(thin > 0 && thin <= ShippedBytes.MAX_PER_SMALL_PASS, thin + " bytes shipped by a pass over our cache");
            assertTrue(planned > 2 * ShippedBytes.MAX_PER_SMALL_PASS, planned + " bytes shipped by a pass that keeps the plans");
        } finally {
            withLineage.unpersist(false);
        }
    }

    /** n rows of d generated columns assembled into a vector column "features": a table with a plan. */
    static Dataset<Row> assembled(SparkSession spark, long n, int d, int partitions) {
        Column[] columns = new Column[d];
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = "x" + j;
            columns[j] = functions.randn(100 + j).plus(functions.col("id").mod(3).multiply(4 + j)).as(names[j]);
        }
        return new VectorAssembler().setInputCols(names).setOutputCol("features")
                .transform(spark.range(0, n, 1, partitions).select(columns)).select("features");
    }

    @Test
    void floatStorageFoldsWhatItsDoubleExpansionFolds() {
        List<DataBlock> expanded = reference.blocks().stream().map(b -> FloatBlock.of(b).toDataBlock()).toList();
        SufficientStatistics expected = new InMemoryBlockData(expanded, D).aggregate(new ExpectationPass(model, "java"));
        try (SparkBlockData data = new SparkBlockData(blocks(3), D, 2, BlockStorage.FLOAT)) {
            // The E-step reads float blocks directly; the row count goes through the expansion.
            assertSameStatistics(expected, data.aggregate(new ExpectationPass(model, "java")), 1e-12, true);
            assertEquals(new RowCounts(1000, 1000), data.aggregate(RowCounts.pass()));
            assertTrue(data.cachedBytes() >= 1000L * D * 4, data.cachedBytes() + " bytes cached");
        }
    }

    @Test
    void treeAggregateAddsAStageOnlyWhereSparkWould() {
        for (int partitions = 1; partitions <= 100; partitions++) {
            assertFalse(SparkBlockData.treeAddsStage(partitions, 1), partitions + " partitions, depth 1");
        }
        for (int partitions = 1; partitions <= 5; partitions++) {
            assertFalse(SparkBlockData.treeAddsStage(partitions, 2), partitions + " partitions, depth 2");
        }
        assertTrue(SparkBlockData.treeAddsStage(6, 2));
        assertTrue(SparkBlockData.treeAddsStage(200, 2));
        assertEquals(List.of(1), stagesOfOnePass(5));
        assertEquals(List.of(2), stagesOfOnePass(6));
    }

    @Test
    void aPassOverFewPartitionsIsOneJobOfOneStage() {
        assertEquals(List.of(1), stagesOfOnePass(2));
    }

    /** The stages of each job that one E-step pass at depth 2 runs. */
    private static List<Integer> stagesOfOnePass(int partitions) {
        JavaRDD<DataBlock> cached = blocks(partitions).cache();
        try (SparkBlockData data = new SparkBlockData(cached, D, 2)) {
            String group = "spark-block-data-test-" + partitions;
            sc.setJobGroup(group, "one pass", false);
            try {
                data.aggregate(new ExpectationPass(model, "java"));
            } finally {
                sc.clearJobGroup();
            }
            return Arrays.stream(sc.statusTracker().getJobIdsForGroup(group))
                    .mapToObj(job -> sc.statusTracker().getJobInfo(job).stageIds().length).toList();
        } finally {
            cached.unpersist(false);
        }
    }

    /** The rows each block holds when the packing runs: an input that changes between two builds. */
    private static final java.util.concurrent.atomic.AtomicInteger ROWS_PER_BLOCK =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Mini-batch groups keep statistics per block index, so a cache rebuilt after its blocks were lost
     * (as with a lost executor: here they are removed from the block manager) must hold the same
     * blocks; when the input changed in between, the pass fails with a clear message instead of
     * counting rows twice or not at all.
     */
    @Test
    void aCacheRebuiltFromAChangedInputFailsClearly() {
        ROWS_PER_BLOCK.set(20);
        java.util.Set<Integer> before = new java.util.HashSet<>(sc.getPersistentRDDs().keySet());
        JavaRDD<DataBlock> packed = sc.parallelize(List.of(1, 2, 3, 4), 2).map(seed -> {
            double[] values = new double[ROWS_PER_BLOCK.get() * D];
            Random random = new Random(seed);
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            return DataBlock.of(values, D);
        });
        SparkBlockData data = new SparkBlockData(packed, D, 1);
        assertEquals(80, Arrays.stream(data.blockRows()).sum());
        ROWS_PER_BLOCK.set(25);
        for (int id : sc.getPersistentRDDs().keySet()) {
            if (!before.contains(id)) {
                sc.sc().env().blockManager().master().removeRdd(id, true);
            }
        }
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> data.aggregate(new ExpectationPass(model, "java")));
        assertTrue(e.getMessage().contains("did the input change"), e.getMessage());
        assertTrue(e.getMessage().contains("4 blocks of 100 rows, before 4 blocks of 80 rows"), e.getMessage());
        assertEquals(1, data.cacheRebuilds());
        for (int id : sc.getPersistentRDDs().keySet()) {
            if (!before.contains(id)) {
                sc.getPersistentRDDs().get(id).unpersist(false);
            }
        }
    }
}
