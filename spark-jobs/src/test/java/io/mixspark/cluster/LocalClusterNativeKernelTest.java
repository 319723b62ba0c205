package io.mixspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.nativekernel.NativeLibrary;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Executors in separate JVMs ({@code local-cluster[2,1,1024]}) load the native library from the
 * classpath and fit the same model as the Java kernel.
 */
@Tag("cluster")
class LocalClusterNativeKernelTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("mixspark-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void executorsLoadTheNativeKernelsAndFitTheSameModelAsJava() {
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

    @Test
    void losingAnExecutorMidFitYieldsTheSameModel() {
        Dataset<Row> data = sample(12_000, 7);
        MixSparkGaussianMixtureModel reference = new MixSparkGaussianMixture().setK(3).setSeed(4).setTol(0).setMaxIter(12).fit(data);
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        MixSparkGaussianMixtureModel survived = new MixSparkGaussianMixture().setK(3).setSeed(4).setTol(0).setMaxIter(12)
                .setListener(new io.mixspark.em.FitListener() {
                    @Override
                    public void iteration(int restart, io.mixspark.em.IterationRecord r) {
                        if (r.iteration() == 4 && !killed.get()) {
                            // In local-cluster mode the driver's only child JVMs are the executors.
                            ProcessHandle.current().descendants()
                                    .filter(p -> p.info().command().orElse("").endsWith("/java"))
                                    .findFirst().ifPresent(p -> killed.set(p.destroyForcibly()));
                        }
                    }
                }).fit(data);
        assertTrue(killed.get(), "an executor JVM was killed mid-fit");
        Mixture a = reference.mixture();
        Mixture b = survived.mixture();
        for (int c = 0; c < a.k(); c++) {
            assertEquals(a.weight(c), b.weight(c), 1e-9);
            for (int j = 0; j < a.d(); j++) {
                assertEquals(a.mean(c)[j], b.mean(c)[j], 1e-9 * (1 + Math.abs(a.mean(c)[j])));
            }
        }
        assertEquals(reference.summary().logLikelihood(), survived.summary().logLikelihood(),
                1e-9 * Math.abs(reference.summary().logLikelihood()));
    }

    private static Dataset<Row> sample(int n, long seed) {
        Mixture truth = RandomMixtures.draw(3, 4, CovarianceType.FULL, 3, new Random(seed));
        double[] values = truth.sample(n, new Random(seed + 1), null);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(Vectors.dense(java.util.Arrays.copyOfRange(values, i * 4, i * 4 + 4))));
        }
        return spark.createDataFrame(rows, new StructType().add("features", new VectorUDT())).repartition(4);
    }
}
