package io.mixspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.cli.MixSparkCli;
import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.RowCounts;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.nativekernel.NativeLibrary;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.FailingPass;
import io.mixspark.spark.ResidentPassSetting;
import io.mixspark.spark.ShippedBytes;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Executors in separate JVMs ({@code local-cluster[2,1,1024]}) load the native library from the
 * classpath and fit the same model as the Java kernel; losing one mid-pass changes nothing; and
 * executors that cannot load it are reported, or fail a fit that names a native kernel.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterNativeKernelTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = cluster(null);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    @Order(1)
    void executorsLoadTheNativeKernelsAndFitTheSameModelAsJava() {
        assumeTrue(NativeLibrary.loaded(), "the native library loads on this machine");
        String driverPid = ManagementFactory.getRuntimeMXBean().getName();
        List<Integer> partitions = List.of(0, 1, 2, 3);
        List<String> reports = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(partitions, 4)
                .map(i -> ManagementFactory.getRuntimeMXBean().getName() + "|" + NativeLibrary.loaded() + "|"
                        + Kernels.named("auto").name())
                .collect();
        Set<String> executorJvms = new TreeSet<>();
        for (String report : reports) {
            String[] parts = report.split("\\|");
            executorJvms.add(parts[0]);
            assertEquals("true", parts[1], "an executor did not load the native library: " + report);
            assertTrue(parts[2].startsWith("native-"), report);
        }
        assertTrue(!executorJvms.contains(driverPid), "tasks ran in executor JVMs, not the driver");

        Mixture truth = RandomMixtures.draw(4, 6, CovarianceType.FULL, 3, new Random(1));
        double[] values = truth.sample(20_000, new Random(2), null);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(RowFactory.create(Vectors.dense(java.util.Arrays.copyOfRange(values, i * 6, i * 6 + 6))));
        }
        Dataset<Row> data = spark.createDataFrame(rows, new StructType().add("features", new VectorUDT()))
                .repartition(4).cache();

        MixSparkGaussianMixtureModel nativeFit = new MixSparkGaussianMixture().setK(4).setSeed(3).setTol(1e-8)
                .fit(data);
        MixSparkGaussianMixtureModel javaFit = new MixSparkGaussianMixture().setK(4).setSeed(3).setTol(1e-8)
                .setKernel("java").fit(data);

        assertTrue(nativeFit.summary().kernel().startsWith("native-"), nativeFit.summary().kernel());
        assertEquals("java", javaFit.summary().kernel());
        assertEquals(javaFit.summary().iterations(), nativeFit.summary().iterations());
        Mixture a = javaFit.mixture();
        Mixture b = nativeFit.mixture();
        for (int c = 0; c < 4; c++) {
            assertEquals(a.weight(c), b.weight(c), 1e-9);
            for (int j = 0; j < 6; j++) {
                assertEquals(a.mean(c)[j], b.mean(c)[j], 1e-9 * (1 + Math.abs(a.mean(c)[j])));
            }
            double[] ca = a.covariance(c);
            double[] cb = b.covariance(c);
            for (int j = 0; j < ca.length; j++) {
                assertEquals(ca[j], cb[j], 1e-9 * (1 + Math.abs(ca[j])));
            }
        }
    }

    /**
     * With executors in JVMs of their own the cache drops its lineage too: once filled, a pass's
     * tasks carry the pass and a reference to the cached blocks, not the plans of the table they
     * were packed from (every executor fetches a stage's task binary). Two partitions: one stage.
     */
    @Test
    @Order(2)
    void aPassOverTheCacheShipsNoneOfTheTablesPlans() throws Exception {
        Mixture small = RandomMixtures.draw(2, 6, CovarianceType.FULL, 3, new Random(5));
        try (SparkBlockData blocks = new SparkBlockData(BlockPacker.pack(generated(20_000, 6).coalesce(2), "features", "",
                6, 1024), 6, SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
            blocks.aggregate(RowCounts.pass());
            long shipped = ShippedBytes.during(spark.sparkContext(),
                    () -> blocks.aggregate(new ExpectationPass(small, "java")));
            assertTrue(shipped > 0 && shipped <= ShippedBytes.MAX_PER_SMALL_PASS, shipped + " bytes shipped by a pass");
            assertTrue(blocks.blocks().rdd().isCheckpointed(), blocks.blocks().toDebugString());
        }
    }

    /**
     * One pass of a fit loses an executor: the task of partition 0, on its first attempt, halts its
     * executor's JVM (once, whichever JVM runs it) from inside the pass. The cache has no lineage,
     * so the pass fails on the lost blocks; the cache is built again from the packed blocks'
     * lineage, the pass runs again, and the fit yields the model of an uninterrupted one.
     */
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {8, 2})
    @Order(7)
    void losingAnExecutorWhileAPassRunsRetriesItsTasksAndYieldsTheSameModel(int partitions, @TempDir Path dir)
            throws Exception {
        // An executor halted by an earlier test comes back after a while; resident tasks need both.
        awaitExecutors(2);
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).maxIter(6).tol(0).seed(4).build();
        TaskRecorder tasks = new TaskRecorder();
        Path halted = dir.resolve("halted");
        EmResult reference;
        EmResult survived;
        int rebuilds;
        long served;
        // 8 partitions: every pass a Spark job; 2, one per executor's slot: resident tasks serve the passes.
        try (SparkBlockData blocks = new SparkBlockData(BlockPacker.pack(generated(40_000, 12).coalesce(partitions),
                "features", "", 12, 1024), 12, SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
            HaltingData counted = new HaltingData(blocks, -1, halted.toString(), new AtomicInteger());
            reference = EmFitter.fit(counted, options, FitListener.NONE);
            // The EM pass before the last: the executor is lost with the cache and the fit well under way.
            int pass = counted.passes().get() - 1;
            spark.sparkContext().addSparkListener(tasks);
            try {
                survived = EmFitter.fit(new HaltingData(blocks, pass, halted.toString(), new AtomicInteger()),
                        options, FitListener.NONE);
                spark.sparkContext().listenerBus().waitUntilEmpty();
            } finally {
                spark.sparkContext().removeSparkListener(tasks);
            }
            rebuilds = blocks.cacheRebuilds();
            served = blocks.residentPassesServed();
            // Resident tasks lost an executor serving these blocks: later passes over them stay Spark jobs.
            blocks.aggregate(RowCounts.pass());
            blocks.aggregate(RowCounts.pass());
            assertEquals(served, blocks.residentPassesServed(), "passes served by resident tasks after the loss");
        }
        assertEquals(partitions == 2, served > 0, served + " passes served by resident tasks");
        assertTrue(java.nio.file.Files.exists(halted), "a task halted its executor's JVM");
        assertFalse(tasks.failed.isEmpty(), "the halted executor's tasks failed: " + tasks);
        assertEquals(1, rebuilds, "the cache was built again once");

        assertEquals(reference.iterations(), survived.iterations());
        Mixture a = reference.model();
        Mixture b = survived.model();
        for (int c = 0; c < a.k(); c++) {
            assertEquals(a.weight(c), b.weight(c), 1e-12);
            for (int j = 0; j < a.d(); j++) {
                assertEquals(a.mean(c)[j], b.mean(c)[j], 1e-12 * (1 + Math.abs(a.mean(c)[j])));
            }
            double[] ca = a.covariance(c);
            double[] cb = b.covariance(c);
            for (int j = 0; j < ca.length; j++) {
                assertEquals(ca[j], cb[j], 1e-12 * (1 + Math.abs(ca[j])));
            }
        }
        assertEquals(reference.logLikelihood(), survived.logLikelihood(), 1e-12 * Math.abs(reference.logLikelihood()));
    }

    /**
     * Executors that cannot load the native library (switched off by {@code
     * -Dmixspark.native.enabled=false}) under a driver that can: metrics.json reports the kernel
     * they ran, and a native kernel named with --kernel fails instead of quietly running Java.
     * Runs last, on a cluster of its own.
     */
    @Test
    @Order(8)
    void executorsWithoutTheNativeLibraryAreReportedAndFailANamedNativeKernel(@TempDir Path dir) throws Exception {
        assumeTrue(NativeLibrary.loaded(), "the driver loads the native library");
        spark.stop();
        spark = cluster("-Dmixspark.native.enabled=false");
        String iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();

        Path auto = dir.resolve("auto");
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "3", "--seed", "1", "--partitions", "2",
                "--output", auto.toString()));
        JsonNode metrics = new ObjectMapper().readTree(auto.resolve("metrics.json").toFile());
        assertTrue(metrics.get("kernel").asText().startsWith("native-"), "the driver's choice: " + metrics);
        JsonNode used = metrics.get("kernelsUsed");
        assertEquals(List.of("java"), iterator(used.fieldNames()), "the executors ran Java: " + used);
        assertTrue(used.get("java").asLong() >= 2 * metrics.get("iterations").asLong(), used.toString());

        String driverKernel = Kernels.named("auto").name();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int code;
        try (PrintStream captured = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(captured);
            code = MixSparkCli.run("fit", "--input", iris, "--k", "3", "--seed", "1", "--partitions", "2",
                    "--kernel", driverKernel, "--output", dir.resolve("named").toString());
        } finally {
            System.setErr(stderr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains("error: --kernel " + driverKernel + " cannot run on JVM"), text);
        assertTrue(text.contains("disabled by -Dmixspark.native.enabled=false"), text);
    }

    /**
     * Resident passes (two partitions, one per executor's only slot): the same weighted full fit to
     * the bit as with every pass a Spark job, and a 20-iteration fit in far fewer than 20 jobs.
     */
    @Test
    @Order(3)
    void residentPassesFitTheSameBitsAsSparkJobsInFarFewerJobs() {
        Mixture truth = RandomMixtures.draw(3, 5, CovarianceType.FULL, 3, new Random(11));
        double[] values = truth.sample(4000, new Random(12), null);
        List<Row> rows = new ArrayList<>();
        Random random = new Random(13);
        for (int i = 0; i < 4000; i++) {
            rows.add(RowFactory.create(Vectors.dense(java.util.Arrays.copyOfRange(values, i * 5, i * 5 + 5)),
                    0.5 + random.nextDouble()));
        }
        Dataset<Row> data = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, 2), new StructType().add("features", new VectorUDT()).add("w", "double"));
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(3).setSeed(5).setMaxIter(20).setTol(0)
                .setWeightCol("w");
        Fitted jobs = fit(estimator, data, ResidentPassSetting.OFF);
        Fitted resident = fit(estimator, data, ResidentPassSetting.AUTO);
        assertEquals(20, jobs.model().summary().history().size());
        assertEquals(jobs.model().mixture(), resident.model().mixture());
        for (int i = 0; i < 20; i++) {
            assertEquals(jobs.model().summary().history().get(i).meanLogLikelihood(),
                    resident.model().summary().history().get(i).meanLogLikelihood(), 0.0, "iteration " + (i + 1));
        }
        assertTrue(jobs.jobs() >= 20, jobs.jobs() + " jobs with resident passes off");
        assertTrue(resident.jobs() <= 5, resident.jobs() + " jobs with resident passes");
    }

    /** A pass failing in a block: the resident tasks leave it to a Spark job, which fails as it always did. */
    @Test
    @Order(4)
    void aFailingPassFailsWithTheErrorOfItsSparkJob() {
        Throwable resident = failure(ResidentPassSetting.AUTO);
        Throwable jobs = failure(ResidentPassSetting.OFF);
        assertEquals(jobs.getClass(), resident.getClass());
        assertEquals(rootCause(jobs).getClass(), rootCause(resident).getClass());
        assertEquals(rootCause(jobs).getMessage(), rootCause(resident).getMessage());
        assertTrue(rootCause(resident).getMessage().contains("the block is bad: x = "), rootCause(resident).toString());
    }

    /**
     * The resident tasks must connect within the timeout, here 1 ms: they cannot, a warning says so,
     * and every pass runs as a Spark job, with the same model.
     */
    @Test
    @Order(5)
    void tasksThatDoNotConnectInTimeLeaveThePassesToSparkJobsWithAWarning() {
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).maxIter(5).tol(0).seed(4).build();
        List<String> warnings = new ArrayList<>();
        EmResult fallback;
        long served;
        spark.conf().set(ResidentPassSetting.CONNECT_TIMEOUT_KEY, "1ms");
        try (SparkBlockData data = blocksIn2Partitions().warnings(warnings::add)) {
            fallback = EmFitter.fit(data, options, FitListener.NONE);
            served = data.residentPassesServed();
        } finally {
            spark.conf().unset(ResidentPassSetting.CONNECT_TIMEOUT_KEY);
        }
        EmResult jobs;
        spark.conf().set(ResidentPassSetting.KEY, "false");
        try (SparkBlockData data = blocksIn2Partitions()) {
            jobs = EmFitter.fit(data, options, FitListener.NONE);
        } finally {
            spark.conf().unset(ResidentPassSetting.KEY);
        }
        assertEquals(0, served);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("resident tasks connected to the driver within 1 ms"), warnings.get(0));
        assertTrue(warnings.get(0).contains("passes run as Spark jobs"), warnings.get(0));
        assertEquals(jobs.model(), fallback.model());
        assertEquals(jobs.logLikelihood(), fallback.logLikelihood(), 0.0);
    }

    /**
     * Resident tasks hold both executors' only slots; once no pass has come for the idle interval
     * they finish, so a job of the application queued meanwhile runs; the next pass starts them again.
     */
    @Test
    @Order(6)
    void idleResidentTasksFreeTheirSlotsForOtherJobs() throws Exception {
        try (SparkBlockData data = blocksIn2Partitions()) {
            RowCounts first = data.aggregate(RowCounts.pass());
            assertEquals(first, data.aggregate(RowCounts.pass()));
            assertEquals(1, data.residentPassesServed(), "the second pass ran on resident tasks");
            long count = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 2)
                    .countAsync().get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(4, count);
            assertEquals(first, data.aggregate(RowCounts.pass()));
            assertEquals(2, data.residentPassesServed(), "the next pass started resident tasks again");
        }
    }

    /**
     * A notebook's Cancel ({@code cancelJobGroup}) during a fit served by resident tasks: the
     * resident job runs in the fit's job group, and the fit stops with Spark's cancellation
     * instead of carrying on with Spark jobs.
     */
    @Test
    @Order(6)
    void cancellingTheJobGroupStopsAFitServedByResidentTasks() throws Exception {
        String group = "resident-cancel-" + System.nanoTime();
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).maxIter(100_000).tol(0).seed(4).build();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        try (SparkBlockData data = blocksIn2Partitions()) {
            Thread fit = new Thread(() -> {
                spark.sparkContext().setJobGroup(group, "a fit to cancel", false);
                try {
                    EmFitter.fit(data, options, FitListener.NONE);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            fit.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (data.residentPassesServed() < 3 && fit.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(data.residentPassesServed() >= 3, "resident tasks served the fit");
            spark.sparkContext().cancelJobGroup(group);
            fit.join(20_000);
            boolean stopped = !fit.isAlive();
            fit.interrupt();
            fit.join(20_000);
            assertTrue(stopped, "the fit stopped on Cancel");
        }
        assertTrue(thrown.get() != null && String.valueOf(thrown.get().getMessage()).contains("cancelled"),
                String.valueOf(thrown.get()));
    }

    /**
     * A pass that cannot be serialised, sent when resident tasks have just started: it fails with
     * the error of its Spark job ("Task not serializable"), and the tasks free their slots at once.
     */
    @Test
    @Order(6)
    void aPassThatCannotBeSerialisedFailsAsItsSparkJobAndFreesTheSlots() throws Exception {
        Throwable resident = unshippable(ResidentPassSetting.AUTO);
        Throwable jobs = unshippable(ResidentPassSetting.OFF);
        assertEquals(jobs.getClass(), resident.getClass());
        assertEquals(rootCause(jobs).getClass(), rootCause(resident).getClass());
        assertTrue(String.valueOf(resident.getMessage()).contains("Task not serializable"), resident.toString());
    }

    /** Blocks the caller cached on disk: resident tasks would hold them in memory, so passes stay Spark jobs. */
    @Test
    @Order(6)
    void blocksCachedOnDiskAreNotServedByResidentTasks() {
        JavaRDD<DataBlock> onDisk = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(blocksOf2Partitions(), 2).persist(StorageLevel.DISK_ONLY());
        try (SparkBlockData data = new SparkBlockData(onDisk, 4, SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
            RowCounts first = data.aggregate(RowCounts.pass());
            assertEquals(first, data.aggregate(RowCounts.pass()));
            assertEquals(0, data.residentPassesServed(), "no pass served by resident tasks");
        } finally {
            onDisk.unpersist(true);
        }
    }

    /** The failure of an unserialisable pass right after a first pass; with resident passes, then a job that needs both slots. */
    private static Throwable unshippable(ResidentPassSetting setting) throws Exception {
        spark.conf().set(ResidentPassSetting.KEY, setting.id());
        try (SparkBlockData data = blocksIn2Partitions()) {
            data.aggregate(RowCounts.pass());
            Throwable failure = null;
            try {
                data.aggregate(new UnshippablePass(new Object()));
            } catch (Throwable e) {
                failure = e;
            }
            assertTrue(failure != null, "the pass did not fail");
            long count = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 2)
                    .countAsync().get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(4, count, "a job needing both slots ran");
            return failure;
        } finally {
            spark.conf().unset(ResidentPassSetting.KEY);
        }
    }

    /** Waits, up to a minute, until the cluster has this many executors besides the driver. */
    private static void awaitExecutors(int executors) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
            assertTrue(System.nanoTime() < until, "the cluster has fewer than " + executors + " executors");
            Thread.sleep(100);
        }
    }

    /** Counts rows, but holds a plain Object, which Java serialisation refuses. */
    private record UnshippablePass(Object unserialisable) implements BlockAggregator<RowCounts> {
        @Override
        public RowCounts zero() {
            return RowCounts.pass().zero();
        }

        @Override
        public RowCounts add(RowCounts acc, DataBlock block) {
            return RowCounts.pass().add(acc, block);
        }

        @Override
        public RowCounts merge(RowCounts left, RowCounts right) {
            return RowCounts.pass().merge(left, right);
        }
    }

    /** 3000 rows of 4 columns, weighted, in blocks of 100 rows over 2 partitions: one per executor's slot. */
    private static SparkBlockData blocksIn2Partitions() {
        return new SparkBlockData(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(blocksOf2Partitions(), 2), 4, SparkBlockData.DEFAULT_AGGREGATION_DEPTH);
    }

    /** The blocks of {@link #blocksIn2Partitions()}. */
    private static List<DataBlock> blocksOf2Partitions() {
        Mixture truth = RandomMixtures.draw(3, 4, CovarianceType.FULL, 3, new Random(21));
        double[] values = truth.sample(3000, new Random(22), null);
        double[] weights = new double[3000];
        Random random = new Random(23);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.5 + random.nextDouble();
        }
        return InMemoryBlockData.of(values, weights, 4, 100).blocks();
    }

    private static Throwable failure(ResidentPassSetting setting) {
        spark.conf().set(ResidentPassSetting.KEY, setting.id());
        try (SparkBlockData data = blocksIn2Partitions()) {
            data.aggregate(RowCounts.pass());
            data.aggregate(RowCounts.pass());
            assertEquals(setting == ResidentPassSetting.AUTO ? 1 : 0, data.residentPassesServed());
            double marked = firstValueOfBlock(7);
            data.aggregate(new FailingPass(marked));
            throw new AssertionError("the pass did not fail");
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            return e;
        } finally {
            spark.conf().unset(ResidentPassSetting.KEY);
        }
    }

    /** The first value of the block at this index of {@link #blocksIn2Partitions()}. */
    private static double firstValueOfBlock(int index) {
        Mixture truth = RandomMixtures.draw(3, 4, CovarianceType.FULL, 3, new Random(21));
        return truth.sample(3000, new Random(22), null)[index * 100 * 4];
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The fit with resident passes as set (through the session's conf, as a notebook would), and the jobs it ran. */
    private static Fitted fit(MixSparkGaussianMixture estimator, Dataset<Row> data, ResidentPassSetting setting) {
        String group = "resident-test-" + System.nanoTime();
        AtomicInteger jobs = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
                    jobs.incrementAndGet();
                }
            }
        };
        spark.sparkContext().addSparkListener(counter);
        spark.conf().set(ResidentPassSetting.KEY, setting.id());
        spark.sparkContext().setJobGroup(group, "resident passes test", false);
        try {
            MixSparkGaussianMixtureModel model = estimator.fit(data);
            spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
            return new Fitted(model, jobs.get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the listener bus did not drain", e);
        } finally {
            spark.sparkContext().clearJobGroup();
            spark.conf().unset(ResidentPassSetting.KEY);
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    private record Fitted(MixSparkGaussianMixtureModel model, int jobs) {
    }

    private static List<String> iterator(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    /** Rows from three shifted Gaussian clouds, generated on the executors (so recomputable) in 8 partitions. */
    private static Dataset<Row> generated(long n, int d) {
        Column[] columns = new Column[d];
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = "x" + j;
            columns[j] = functions.randn(100 + j).plus(functions.col("id").mod(3).multiply(4 + j)).as(names[j]);
        }
        Dataset<Row> wide = spark.range(0, n, 1, 8).select(columns);
        return new VectorAssembler().setInputCols(names).setOutputCol("features").transform(wide)
                .select("features");
    }

    /**
     * Pass {@code haltIn} of {@code data} (counting from 1; none if -1) halts the JVM of the task
     * of partition 0 on its first attempt, the first time only; {@code passes} counts the passes.
     */
    private record HaltingData(BlockData data, int haltIn, String marker, AtomicInteger passes) implements BlockData {
        @Override
        public int dimension() {
            return data.dimension();
        }

        @Override
        public <A> A aggregate(BlockAggregator<A> aggregator) {
            return data.aggregate(passes.incrementAndGet() == haltIn ? new HaltingPass<>(aggregator, marker)
                    : aggregator);
        }
    }

    /** A pass whose task of partition 0 halts its JVM on its first attempt, once (marked by a file). */
    private record HaltingPass<A>(BlockAggregator<A> pass, String marker) implements BlockAggregator<A> {
        @Override
        public A zero() {
            return pass.zero();
        }

        @Override
        public A add(A accumulator, DataBlock block) {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == 0 && task.attemptNumber() == 0 && firstHalt()) {
                Runtime.getRuntime().halt(137);
            }
            return pass.add(accumulator, block);
        }

        @Override
        public A merge(A left, A right) {
            return pass.merge(left, right);
        }

        @Override
        public String kernelUsed() {
            return pass.kernelUsed();
        }

        private boolean firstHalt() {
            try {
                java.nio.file.Files.createFile(Path.of(marker));
                return true;
            } catch (java.io.IOException already) {
                return false;
            }
        }
    }

    /** Task outcomes by (stage, partition). */
    private static final class TaskRecorder extends SparkListener {
        final Set<String> failed = ConcurrentHashMap.newKeySet();
        final Set<String> succeeded = ConcurrentHashMap.newKeySet();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            String task = event.stageId() + "/" + event.taskInfo().index();
            (event.taskInfo().successful() ? succeeded : failed).add(task);
        }

        @Override
        public String toString() {
            return "failed " + failed + ", succeeded " + succeeded.size() + " tasks";
        }
    }

    private static SparkSession cluster(String executorJavaOptions) {
        SparkSession.Builder builder = SparkSession.builder().master("local-cluster[2,1,1024]")
                .appName("mixspark-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        if (executorJavaOptions != null) {
            builder.config("spark.executor.extraJavaOptions", executorJavaOptions);
        }
        return builder.getOrCreate();
    }
}
