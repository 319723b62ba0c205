package io.mixspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.cli.MixSparkCli;
import io.mixspark.io.ModelJson;
import io.mixspark.gmm.Mixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real Spark standalone cluster: a Master and two one-core Workers as
 * separate JVMs on 127.0.0.1, {@code mixspark fit} submitted through {@code SparkSubmit}. The
 * model equals a local run of the same command, and both executor JVMs log that they loaded the
 * native kernels from the job jar.
 *
 * <p>Runs in the {@code cluster-tests} execution, after {@code package}, which passes the job
 * jar, {@code spark-classpath.txt} and Spark's JVM flags as system properties.
 */
@Tag("cluster")
class StandaloneSubmitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(240)
    void fitSubmittedToAStandaloneClusterMatchesALocalRunAndUsesNativeKernelsOnExecutors(@TempDir Path dir)
            throws Exception {
        Path jar = Path.of(required("mixspark.job.jar"));
        Path classpathFile = Path.of(required("mixspark.spark.classpath"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the cluster tests run after package (mvn verify)");
        assertTrue(Files.isRegularFile(classpathFile), classpathFile + " is missing: run mvn verify");
        List<String> flags = Arrays.asList(required("mixspark.spark.jvm.flags").trim().split("\\s+"));
        String iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
        List<String> fit = List.of("fit", "--input", iris, "--k", "3", "--label-col", "species", "--seed", "1",
                "--partitions", "2");

        String clusterOut = dir.resolve("cluster-fit").toString();
        String localOut = dir.resolve("local-fit").toString();
        try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("cluster"), Files.readString(classpathFile),
                flags)) {
            cluster.start(2, 1, "768m");
            List<String> appArgs = new ArrayList<>(fit);
            appArgs.addAll(List.of("--output", clusterOut));
            StandaloneCluster.Submission run = cluster.submit("mixspark-fit", List.of(
                    "--conf", "spark.executor.memory=512m",
                    "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                    "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    // Start only once both executors are up, so that both run EM tasks.
                    "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=60s"),
                    jar.toString(), "io.mixspark.cli.MixSparkCli", appArgs);

            // The same command on local Spark in this JVM, while the cluster job runs.
            List<String> local = new ArrayList<>(fit);
            local.addAll(List.of("--output", localOut, "--master", "local[2]"));
            try {
                assertEquals(0, MixSparkCli.run(local.toArray(String[]::new)), "the local run");
            } finally {
                SparkSession.getDefaultSession().foreach(s -> {
                    s.stop();
                    return null;
                });
            }

            int exit = run.await(150);
            assertEquals(0, exit, () -> "spark-submit failed:\n" + StandaloneCluster.tail(run.log(), 60)
                    + diagnostics(cluster));
            assertTrue(run.text().contains("Granted executor ID"), "the driver ran against the standalone master");

            List<Path> executors = cluster.executorStderrs();
            assertEquals(2, executors.size(), () -> "executor logs: " + executors + diagnostics(cluster));
            for (Path stderr : executors) {
                String log = StandaloneCluster.read(stderr);
                assertTrue(log.contains("CoarseGrainedExecutorBackend"), stderr + " is an executor JVM's log");
                assertTrue(log.contains("MixSpark native kernels loaded from the jar"),
                        () -> stderr + " has no native-library load line:\n" + StandaloneCluster.tail(stderr, 30));
            }
        }

        JsonNode metrics = JSON.readTree(Path.of(clusterOut, "metrics.json").toFile());
        assertTrue(metrics.get("kernel").asText().startsWith("native-"), metrics.get("kernel").asText());
        assertEquals(150, metrics.get("rows").asLong());
        assertTrue(Files.isDirectory(Path.of(clusterOut, "predictions")));
        assertSameModel(Path.of(localOut, "model.json"), Path.of(clusterOut, "model.json"));
    }

    private static void assertSameModel(Path expectedFile, Path actualFile) throws Exception {
        ModelJson.Named expected = ModelJson.parse(Files.readString(expectedFile), expectedFile.toString());
        ModelJson.Named actual = ModelJson.parse(Files.readString(actualFile), actualFile.toString());
        assertEquals(expected.features(), actual.features());
        Mixture a = expected.mixture();
        Mixture b = actual.mixture();
        assertEquals(a.k(), b.k());
        for (int c = 0; c < a.k(); c++) {
            assertClose(a.weight(c), b.weight(c), "weight " + c);
            for (int j = 0; j < a.d(); j++) {
                assertClose(a.mean(c)[j], b.mean(c)[j], "mean " + c + "," + j);
            }
            double[] ca = a.covariance(c);
            double[] cb = b.covariance(c);
            for (int j = 0; j < ca.length; j++) {
                assertClose(ca[j], cb[j], "covariance " + c + "," + j);
            }
        }
        JsonNode ja = JSON.readTree(expectedFile.toFile());
        JsonNode jb = JSON.readTree(actualFile.toFile());
        assertEquals(ja.get("iterations").asInt(), jb.get("iterations").asInt());
        assertClose(ja.get("logLikelihood").asDouble(), jb.get("logLikelihood").asDouble(), "log-likelihood");
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
    }

    private static String diagnostics(StandaloneCluster cluster) {
        try {
            return "\n" + cluster.diagnostics();
        } catch (Exception e) {
            return "\n(no diagnostics: " + e + ")";
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property
                    + " is not set; run this test through Maven's cluster-tests execution (mvn verify)");
        }
        return value;
    }
}
