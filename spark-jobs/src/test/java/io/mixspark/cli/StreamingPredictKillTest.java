package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.spark.SharedSpark;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code predict --stream} stopped in a child JVM: a batch's predictions appear in one step (a
 * driver killed before then leaves no folder of that batch where readers look), and SIGTERM stops
 * the query after the batch in flight, whose predictions and metrics entry are then complete, and
 * so does SIGINT.
 */
class StreamingPredictKillTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void spark() {
        SharedSpark.session();
    }

    /** A landing directory with one file of 10 rows, and the model. */
    private static Path[] landing(String name) throws Exception {
        Path base = Files.createDirectories(dir.resolve(name));
        Path landing = Files.createDirectories(base.resolve("landing"));
        Path model = base.resolve("model.json");
        Files.writeString(model, StreamingPredictTest.MODEL_A);
        StreamingPredictTest.land(landing.resolve("a.csv"), StreamingPredictTest.csvRows(0, 10), base);
        return new Path[] {base, landing, model};
    }

    /** The second file, batch 1. */
    private static void landSecond(Path[] at) throws Exception {
        StreamingPredictTest.land(at[1].resolve("b.csv"), StreamingPredictTest.csvRows(10, 10), at[0]);
    }

    private static List<String> args(Path[] at, String trigger) {
        return List.of("predict", "--stream", "--model", at[2].toString(), "--input", at[1].toString(), "--format",
                "csv", "--id-col", "id", "--trigger", trigger, "--checkpoint-dir",
                at[0].resolve("ck").toString(), "--output", at[0].resolve("out").toString());
    }

    @Test
    void aDriverKilledAfterWritingABatchLeavesNoFolderOfIt() throws Exception {
        Path[] at = landing("halted");
        CapturedRun first = CapturedRun.of(args(at, "available-now").toArray(String[]::new));
        assertEquals(0, first.code(), first.text());
        landSecond(at);
        Path log = at[0].resolve("child.log");
        List<String> command = new ArrayList<>(List.of(StreamingPredict.Step.PREDICTIONS_WRITTEN.name(), "1", "halt"));
        command.addAll(args(at, "available-now"));
        Process child = start(command, log);
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child did not halt: " + Files.readString(log));
        assertEquals(PredictStopMain.HALTED, child.exitValue(), Files.readString(log));
        Path predictions = at[0].resolve("out").resolve("predictions");
        assertEquals(List.of("batch=0"), visible(predictions), "only the finished batch is where readers look");

        CapturedRun restart = CapturedRun.of(args(at, "available-now").toArray(String[]::new));
        assertEquals(0, restart.code(), restart.text());
        assertEquals(List.of("batch=0", "batch=1"), visible(predictions));
        assertBatchesOnce(at[0].resolve("out"), 2);
        assertEquals(20, SharedSpark.session().read().parquet(predictions.toString()).count());
        try (Stream<Path> all = Files.list(predictions)) {
            assertEquals(2, all.count(), "no leftover of the killed write");
        }
    }

    /** SIGINT (Ctrl-C) stops it as SIGTERM does. */
    @ParameterizedTest
    @ValueSource(strings = {"term", "int"})
    void aSignalStopsAfterTheBatchInFlight(String signal) throws Exception {
        Path[] at = landing("stopped-by-" + signal);
        Path log = at[0].resolve("child.log");
        List<String> command = new ArrayList<>(List.of(StreamingPredict.Step.BATCH_STARTED.name(), "1", signal));
        command.addAll(args(at, "500ms"));
        Process child = start(command, log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (StreamingPredictTest.rowsScored(at[0].resolve("out")) < 10 && child.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(10, StreamingPredictTest.rowsScored(at[0].resolve("out")), Files.readString(log));
            landSecond(at);
            assertTrue(child.waitFor(180, TimeUnit.SECONDS), signal + " did not stop the stream: "
                    + Files.readString(log));
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(0, child.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("stopping after the batch in flight"), Files.readString(log));
        Path predictions = at[0].resolve("out").resolve("predictions");
        assertEquals(List.of("batch=0", "batch=1"), visible(predictions), "the batch in flight was finished");
        assertBatchesOnce(at[0].resolve("out"), 2);
        assertEquals(20, SharedSpark.session().read().parquet(predictions.toString()).count());
    }

    /** The folders a reader of predictions/ sees (Spark passes over names starting with . or _). */
    private static List<String> visible(Path predictions) throws Exception {
        try (Stream<Path> all = Files.list(predictions)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.startsWith("_"))
                    .sorted().toList();
        }
    }

    private static void assertBatchesOnce(Path out, int batches) throws Exception {
        JsonNode metrics = JobOutputs.JSON.readTree(out.resolve("metrics.json").toFile());
        List<Long> ids = new ArrayList<>();
        metrics.get("batches").forEach(b -> ids.add(b.get("batchId").asLong()));
        assertEquals(java.util.stream.LongStream.range(0, batches).boxed().toList(), ids, metrics.toString());
        assertEquals(10L * batches, metrics.get("rows").asLong());
    }

    /** {@link PredictStopMain} in a fresh JVM with this JVM's classpath and flags, on local[2]. */
    private static Process start(List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Djdk.reflect")
                    || flag.startsWith("-Dio.netty")) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dspark.ui.enabled=false", "-cp", System.getProperty("java.class.path"),
                PredictStopMain.class.getName()));
        command.addAll(args);
        command.addAll(List.of("--master", "local[2]"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
