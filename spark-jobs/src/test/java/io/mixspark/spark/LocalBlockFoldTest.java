package io.mixspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.cli.ExitCodes;
import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockStorage;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Passes folded in the driver's threads in local mode: the same fits to the bit as flat Spark jobs
 * (up to rounding against a treeAggregate), no job per iteration, the same errors, and interrupts
 * that stop them.
 */
class LocalBlockFoldTest {

    private static final int D = 3;
    private static SparkSession spark;
    private static double[] values;
    private static double[] weights;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(31));
        values = truth.sample(3000, new Random(32), null);
        Random random = new Random(33);
        weights = new double[3000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.5 + random.nextDouble();
        }
    }

    /** Rows in 3 partitions as given, without a shuffle, so both fits pack the same blocks. */
    private static Dataset<Row> frame(double[] rows, double[] w) {
        return frame(rows, w, 3);
    }

    private static Dataset<Row> frame(double[] rows, double[] w, int partitions) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.length / D; i++) {
            double[] x = java.util.Arrays.copyOfRange(rows, i * D, i * D + D);
            out.add(w == null ? RowFactory.create(Vectors.dense(x)) : RowFactory.create(Vectors.dense(x), w[i]));
        }
        StructType schema = new StructType().add("features", new VectorUDT(), false);
        if (w != null) {
            schema = schema.add("w", DataTypes.DoubleType, false);
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(out,
                partitions), schema);
    }

    /** The fit with the fold as set (through the session's conf, as a notebook would), and the jobs it ran. */
    private static Fitted fit(MixSparkGaussianMixture estimator, Dataset<Row> data, LocalFoldSetting setting) {
        String group = "local-fold-test-" + System.nanoTime();
        JobCounter jobs = new JobCounter(group);
        spark.sparkContext().addSparkListener(jobs);
        spark.conf().set(LocalFoldSetting.KEY, setting.id());
        spark.sparkContext().setJobGroup(group, "local fold test", false);
        try {
            MixSparkGaussianMixtureModel model = estimator.fit(data);
            spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
            return new Fitted(model, jobs.count.get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the listener bus did not drain", e);
        } finally {
            spark.sparkContext().clearJobGroup();
            spark.conf().unset(LocalFoldSetting.KEY);
            spark.sparkContext().removeSparkListener(jobs);
        }
    }

    private record Fitted(MixSparkGaussianMixtureModel model, int jobs) {
    }

    private static final class JobCounter extends SparkListener {
        private final String group;
        private final AtomicInteger count = new AtomicInteger();

        JobCounter(String group) {
            this.group = group;
        }

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
                count.incrementAndGet();
            }
        }
    }

    private static String nativeKernel() {
        return Kernels.available().stream().map(LikelihoodKernel::name).filter(n -> n.startsWith("native"))
                .findFirst().orElse(null);
    }

    static Stream<Arguments> fits() {
        List<Arguments> out = new ArrayList<>();
        for (String type : new String[] {"full", "diag", "spherical", "tied"}) {
            for (boolean weighted : new boolean[] {false, true}) {
                for (String kernel : new String[] {"java", "native"}) {
                    out.add(Arguments.of(type, weighted, kernel));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, weighted {1}, {2} kernel")
    @MethodSource("fits")
    void aFitFoldedInTheDriverIsTheSparkFitToTheBit(String type, boolean weighted, String kernel) {
        String name = kernel.equals("java") ? "java" : nativeKernel();
        Assumptions.assumeTrue(name != null, "no native kernel on this machine");
        Dataset<Row> data = frame(values, weighted ? weights : null);
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(3).setCovarianceType(type)
                .setSeed(5).setMaxIter(8).setTol(0).setKernel(name).setBlockSize(150);
        if (weighted) {
            estimator.setWeightCol("w");
        }
        assertSameFit(fit(estimator, data, LocalFoldSetting.OFF), fit(estimator, data, LocalFoldSetting.AUTO));
    }

    @Test
    void withATreeAggregateOnSparkTheFoldedFitIsEqualUpToRounding() {
        assertTrue(SparkBlockData.treeAddsStage(8, SparkBlockData.DEFAULT_AGGREGATION_DEPTH));
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(3).setSeed(5).setMaxIter(8).setTol(0)
                .setKernel("java").setBlockSize(150);
        Dataset<Row> data = frame(values, null, 8);
        Fitted onSpark = fit(estimator, data, LocalFoldSetting.OFF);
        Fitted folded = fit(estimator, data, LocalFoldSetting.AUTO);
        assertTrue(folded.jobs() < onSpark.jobs(), folded.jobs() + " jobs folded, " + onSpark.jobs() + " on Spark");
        Mixture a = onSpark.model().mixture();
        Mixture b = folded.model().mixture();
        assertClose(a.weights(), b.weights());
        for (int c = 0; c < a.k(); c++) {
            assertClose(a.mean(c), b.mean(c));
            assertClose(a.covariance(c), b.covariance(c));
        }
        List<io.mixspark.em.IterationRecord> x = onSpark.model().summary().history();
        List<io.mixspark.em.IterationRecord> y = folded.model().summary().history();
        assertEquals(8, y.size());
        for (int i = 0; i < x.size(); i++) {
            assertClose(new double[] {x.get(i).meanLogLikelihood()}, new double[] {y.get(i).meanLogLikelihood()});
        }
    }

    /** Equal up to rounding: within 1e-12 of each other, relative to the larger. */
    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), Math.abs(actual[i]));
            assertEquals(expected[i], actual[i], 1e-12 * scale, "element " + i);
        }
    }

    @Test
    void missingValuesFloatStorageAndMiniBatchesFoldToTheSameBits() {
        double[] holes = values.clone();
        for (int i = 0; i < holes.length; i += 7) {
            holes[i] = Double.NaN;
        }
        MixSparkGaussianMixture base = new MixSparkGaussianMixture().setK(3).setSeed(5).setMaxIter(6).setTol(0)
                .setKernel("java").setBlockSize(150);
        Dataset<Row> missing = frame(holes, null);
        MixSparkGaussianMixture em = base.copy(new org.apache.spark.ml.param.ParamMap()).setMissing("em");
        assertSameFit(fit(em, missing, LocalFoldSetting.OFF), fit(em, missing, LocalFoldSetting.AUTO));
        Dataset<Row> data = frame(values, weights);
        MixSparkGaussianMixture floats = base.copy(new org.apache.spark.ml.param.ParamMap()).setStorage("float");
        floats.setWeightCol("w");
        assertSameFit(fit(floats, data, LocalFoldSetting.OFF), fit(floats, data, LocalFoldSetting.AUTO));
        MixSparkGaussianMixture miniBatch = base.copy(new org.apache.spark.ml.param.ParamMap())
                .setOptimizer(MixSparkGaussianMixture.METHOD_MINIBATCH).setBatchRows(600).setPasses(2);
        assertSameFit(fit(miniBatch, data, LocalFoldSetting.OFF), fit(miniBatch, data, LocalFoldSetting.AUTO));
    }

    private static void assertSameFit(Fitted spark, Fitted folded) {
        assertTrue(folded.jobs() < spark.jobs(), "the folded fit ran " + folded.jobs() + " jobs, the Spark one "
                + spark.jobs());
        assertEquals(spark.model().mixture(), folded.model().mixture());
        assertEquals(spark.model().summary().history(), withSameSeconds(folded.model().summary().history(),
                spark.model().summary().history()));
    }

    /** The records with the other fit's seconds, which are the only field allowed to differ. */
    private static List<io.mixspark.em.IterationRecord> withSameSeconds(List<io.mixspark.em.IterationRecord> records,
                                                                      List<io.mixspark.em.IterationRecord> timed) {
        List<io.mixspark.em.IterationRecord> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            io.mixspark.em.IterationRecord r = records.get(i);
            double seconds = i < timed.size() ? timed.get(i).seconds() : r.seconds();
            out.add(new io.mixspark.em.IterationRecord(r.iteration(), r.meanLogLikelihood(), r.change(), seconds,
                    r.components()));
        }
        return out;
    }

    @Test
    void aLocalFitRunsNoJobPerIterationUnlessTheFoldIsOff() {
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(3).setSeed(5).setMaxIter(20)
                .setTol(0).setKernel("java");
        Dataset<Row> data = frame(values, null);
        Fitted off = fit(estimator, data, LocalFoldSetting.OFF);
        Fitted folded = fit(estimator, data, LocalFoldSetting.AUTO);
        assertEquals(20, off.model().summary().history().size());
        assertTrue(off.jobs() >= 20, off.jobs() + " jobs with the fold off");
        assertTrue(folded.jobs() < 20, folded.jobs() + " jobs with the fold on");
    }

    private static List<DataBlock> blocks() {
        return InMemoryBlockData.of(values, null, D, 40).blocks();
    }

    private static SparkBlockData data(LocalFoldSetting setting) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SparkBlockData data = new SparkBlockData(sc.parallelize(blocks(), 3), D, 2, BlockStorage.DOUBLE, setting);
        // The first pass fills the cache, the second moves the blocks (with the fold on).
        data.aggregate(RowCounts.pass());
        data.aggregate(RowCounts.pass());
        return data;
    }

    /** Jobs the action runs, counted through a job group of its own. */
    private static int jobsOf(Runnable action) {
        String group = "local-fold-jobs-" + System.nanoTime();
        JobCounter jobs = new JobCounter(group);
        spark.sparkContext().addSparkListener(jobs);
        spark.sparkContext().setJobGroup(group, "local fold test", false);
        try {
            action.run();
            spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
            return jobs.count.get();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the listener bus did not drain", e);
        } finally {
            spark.sparkContext().clearJobGroup();
            spark.sparkContext().removeSparkListener(jobs);
        }
    }

    @Test
    void aSinglePassRunsOneJobAndMovesNothing() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AtomicReference<Boolean> folded = new AtomicReference<>();
        int jobs = jobsOf(() -> {
            try (SparkBlockData data = new SparkBlockData(sc.parallelize(blocks(), 3), D, 2, BlockStorage.DOUBLE,
                    LocalFoldSetting.AUTO)) {
                assertEquals(new RowCounts(3000, 3000), data.aggregate(RowCounts.pass()));
                folded.set(data.foldsLocally());
            }
        });
        assertEquals(1, jobs);
        assertFalse(folded.get());
    }

    @Test
    void aFailedMoveWarnsAndKeepsThePassesOnSpark() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> warned = new ArrayList<>();
        try (SparkBlockData data = new SparkBlockData(sc.parallelize(blocks(), 3), D, 2, BlockStorage.DOUBLE,
                LocalFoldSetting.AUTO).warnings(warned::add)) {
            data.blockCollector = cached -> {
                throw new IllegalStateException("Total size of serialized results of 3 tasks (2.1 MiB) is bigger"
                        + " than spark.driver.maxResultSize (1024.0 KiB)");
            };
            for (int pass = 0; pass < 3; pass++) {
                assertEquals(new RowCounts(3000, 3000), data.aggregate(RowCounts.pass()));
            }
            assertFalse(data.foldsLocally());
            assertEquals(List.of("the cached blocks could not move into the driver's memory (Total size of"
                    + " serialized results of 3 tasks (2.1 MiB) is bigger than spark.driver.maxResultSize (1024.0"
                    + " KiB)): passes run as Spark jobs instead of in the driver's threads"), warned);
            assertEquals(new RowCounts(160, 160), data.aggregate(RowCounts.pass(), new int[] {40, 2, 71, 20}));
        }
    }

    /** Concatenates the names of the results it merges, to show their order. */
    private static final class Names implements BlockAggregator<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String zero() {
            return "";
        }

        @Override
        public String add(String acc, DataBlock block) {
            return acc;
        }

        @Override
        public String merge(String left, String right) {
            return left + right;
        }
    }

    @Test
    void resultsArrivingOutOfOrderMergeInOrderAsSoonAsTheirPrefixIsComplete() {
        OrderedMerge<String> merge = new OrderedMerge<>(new Names(), 4);
        merge.offer(2, "c");
        assertEquals(1, merge.held());
        merge.offer(0, "a");
        assertEquals(1, merge.held());
        merge.offer(3, "d");
        assertEquals(2, merge.held());
        assertThrows(IllegalStateException.class, merge::result);
        merge.offer(1, "b");
        assertEquals(0, merge.held());
        assertEquals("abcd", merge.result());
        assertThrows(IllegalStateException.class, () -> merge.offer(1, "b"));
    }

    @Test
    void aFailingBlockGivesTheMessageAndExitCodeOfTheSparkPass() {
        double marked = blocks().get(17).values()[0];
        try (SparkBlockData jobs = data(LocalFoldSetting.OFF); SparkBlockData folded = data(LocalFoldSetting.AUTO)) {
            assertFalse(jobs.foldsLocally());
            assertTrue(folded.foldsLocally());
            Exception fromSpark = assertThrows(Exception.class,
                    () -> jobs.aggregate(new FailingPass(marked)));
            Exception fromFold = assertThrows(Exception.class,
                    () -> folded.aggregate(new FailingPass(marked)));
            assertEquals(ExitCodes.message(fromSpark), ExitCodes.message(fromFold));
            assertEquals(ExitCodes.of(fromSpark), ExitCodes.of(fromFold));
            assertEquals(ExitCodes.INPUT_DATA, ExitCodes.of(fromFold));
        }
    }

    @Test
    void theFoldReleasesSparksCacheAndKeepsTheCountsOfTheBlocks() {
        long cachedBefore = spark.sparkContext().getRDDStorageInfo().length;
        try (SparkBlockData jobs = data(LocalFoldSetting.OFF); SparkBlockData folded = data(LocalFoldSetting.AUTO)) {
            assertTrue(folded.foldsLocally());
            // Only the data whose passes stay Spark jobs keeps a cached RDD.
            assertEquals(cachedBefore + 1, spark.sparkContext().getRDDStorageInfo().length);
            assertEquals(jobs.cachedBytes(), folded.cachedBytes());
            assertEquals(3000, java.util.Arrays.stream(jobs.blockRows()).sum());
            assertEquals(java.util.Arrays.toString(jobs.blockRows()), java.util.Arrays.toString(folded.blockRows()));
            int[] some = {40, 2, 71, 20};
            assertEquals(jobs.aggregate(RowCounts.pass(), some), folded.aggregate(RowCounts.pass(), some));
            assertEquals(new RowCounts(160, 160), folded.aggregate(RowCounts.pass(), some));
        }
    }

    @Test
    void askingForTheBlocksAsAnRddPutsThePassesBackOnSpark() {
        try (SparkBlockData data = data(LocalFoldSetting.AUTO)) {
            assertTrue(data.foldsLocally());
            RowCounts folded = data.aggregate(RowCounts.pass());
            assertEquals(3000, data.blocks().map(DataBlock::rows).reduce(Integer::sum));
            assertFalse(data.foldsLocally());
            assertEquals(folded, data.aggregate(RowCounts.pass()));
            assertFalse(data.foldsLocally());
        }
    }

    @Test
    void workersNeverOutnumberTheCoresOrThePartitions() {
        List<Object> one = new ArrayList<>(blocks());
        try (LocalBlockFold single = new LocalBlockFold(List.of(one), 0, 2);
             LocalBlockFold many = new LocalBlockFold(List.of(one, one, one, one, one), 0, 2);
             LocalBlockFold serial = new LocalBlockFold(List.of(one, one), 0, 1)) {
            assertEquals(1, single.threads());
            assertEquals(2, many.threads());
            assertEquals(1, serial.threads());
            assertEquals(new RowCounts(15000, 15000), many.aggregate(RowCounts.pass(), null, null));
        }
        assertEquals(2, LocalFoldSetting.localCores("local[2]"));
        assertEquals(1, LocalFoldSetting.localCores("local"));
        assertEquals(3, LocalFoldSetting.localCores("local[3, 2]"));
        assertEquals(Runtime.getRuntime().availableProcessors(), LocalFoldSetting.localCores("local[*]"));
        assertEquals(0, LocalFoldSetting.localCores("local-cluster[2,1,1024]"));
    }

    /** Sleeps on every block, counting the blocks it finished. */
    private static final class SlowPass implements BlockAggregator<RowCounts> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger FINISHED = new AtomicInteger();

        @Override
        public RowCounts zero() {
            return RowCounts.pass().zero();
        }

        @Override
        public RowCounts add(RowCounts acc, DataBlock block) {
            long until = System.nanoTime() + 20_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            FINISHED.incrementAndGet();
            return RowCounts.pass().add(acc, block);
        }

        @Override
        public RowCounts merge(RowCounts left, RowCounts right) {
            return RowCounts.pass().merge(left, right);
        }
    }

    @Test
    void interruptingTheDriverThreadStopsThePass() throws Exception {
        List<Object> blocks = new ArrayList<>(blocks());
        try (LocalBlockFold fold = new LocalBlockFold(List.of(blocks, blocks), 0, 2)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread driver = new Thread(() -> {
                try {
                    fold.aggregate(new SlowPass(), null, null);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            SlowPass.FINISHED.set(0);
            driver.start();
            Thread.sleep(200);
            driver.interrupt();
            driver.join(5000);
            assertFalse(driver.isAlive());
            assertNotNull(thrown.get());
            assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
            int finished = SlowPass.FINISHED.get();
            Thread.sleep(100);
            // 2 x 75 blocks of 20 ms would take 1.5 s: both workers stopped at their next block.
            assertEquals(finished, SlowPass.FINISHED.get());
            assertTrue(finished < 30, finished + " blocks finished");
        }
    }

    @Test
    void blocksTooLargeForTheDriverStayInSparkWithAWarning() {
        long mib = 1 << 20;
        assertEquals(null, LocalBlockFold.refusal(256 * mib, 1024 * mib, 1024 * mib));
        assertEquals("the cached blocks take 257 MiB, more than 25% of the driver's 1024 MiB heap: passes run as"
                + " Spark jobs instead of in the driver's threads (give the driver more memory to run them there,"
                + " or set spark.mixspark.localFold=false)", LocalBlockFold.refusal(257 * mib, 1024 * mib, 0));
        assertEquals("the cached blocks take 600 MiB, more than spark.driver.maxResultSize (512 MiB): passes run as"
                + " Spark jobs instead of in the driver's threads (raise spark.driver.maxResultSize to run them"
                + " there, or set spark.mixspark.localFold=false)",
                LocalBlockFold.refusal(600 * mib, 4096 * mib, 512 * mib));
        assertEquals(null, LocalBlockFold.refusal(600 * mib, 4096 * mib, 0));
    }

    @Test
    void aBadSettingNamesTheKeyAndItsValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalFoldSetting.parse("maybe"));
        assertEquals("spark.mixspark.localFold must be auto or false, got 'maybe'", e.getMessage());
        assertEquals(LocalFoldSetting.OFF, LocalFoldSetting.parse("FALSE"));
    }
}
