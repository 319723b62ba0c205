package io.mixspark.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.cli.MixSparkCli;
import io.mixspark.gmm.Mixture;
import io.mixspark.spark.SharedSpark;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream whose driver is killed (in a child JVM) and then restarted with the same command ends
 * with the model of an uninterrupted run, to 1e-9, and metrics.json lists each batch once: killed
 * after a batch's state was saved but before Spark recorded the batch (which Spark then replays),
 * killed by SIGKILL at whatever point it had reached, and stopped by SIGTERM on an interval trigger.
 */
class StreamKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILES = 6;

    @TempDir
    static Path dir;
    private static Path input;
    private static Mixture reference;

    @BeforeAll
    static void uninterrupted() throws Exception {
        SharedSpark.session();
        input = dir.resolve("landing");
        StreamFiles.write(input, StreamFiles.threeClusters(0), 0, FILES, 500, 5);
        Path out = dir.resolve("reference");
        assertEquals(0, MixSparkCli.run(args("reference", "available-now")));
        reference = StreamFiles.model(out);
        assertBatchesOnce(out);
    }

    @Test
    void aKillAfterTheStateIsSavedSkipsTheReplayedBatch() throws Exception {
        List<String> command = new ArrayList<>(List.of(OnlineEmSink.Step.STATE_SAVED.name(), "2"));
        command.addAll(List.of(args("halted", "available-now")));
        Path log = dir.resolve("halted.log");
        Process child = start(StreamHaltMain.class.getName(), command, log);
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child did not halt: " + Files.readString(log));
        assertEquals(StreamHaltMain.HALTED, child.exitValue(), Files.readString(log));
        assertEquals(2, JSON.readTree(dir.resolve("halted/metrics.json").toFile()).get("batches").size(),
                "killed before the outputs of batch 2");

        CapturedOut restart = CapturedOut.of(args("halted", "available-now"));
        assertEquals(0, restart.code(), restart.text());
        assertTrue(restart.text().contains("batch 2 was applied before a restart; skipped"), restart.text());
        assertSameModel(dir.resolve("halted"));
    }

    @Test
    void aSigkillMidStreamThenTheSameCommandGivesTheUninterruptedModel() throws Exception {
        Path out = dir.resolve("killed");
        Path log = dir.resolve("killed.log");
        Process child = start(MixSparkCli.class.getName(), List.of(args("killed", "available-now")), log);
        try {
            waitForBatches(out, 2, child, log);
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        int before = JSON.readTree(out.resolve("metrics.json").toFile()).get("batches").size();
        assertTrue(before < FILES, "killed mid-stream, after " + before + " batches");

        CapturedOut restart = CapturedOut.of(args("killed", "available-now"));
        assertEquals(0, restart.code(), restart.text());
        assertSameModel(out);
    }

    @Test
    void sigtermStopsAnIntervalStreamAfterTheBatchInFlight() throws Exception {
        Path out = dir.resolve("terminated");
        Path log = dir.resolve("terminated.log");
        Process child = start(MixSparkCli.class.getName(), List.of(args("terminated", "500ms")), log);
        try {
            waitForBatches(out, 2, child, log);
            child.destroy();
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "SIGTERM did not stop the stream: "
                    + Files.readString(log));
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(0, child.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("stopping after the batch in flight"), Files.readString(log));
        assertBatchesOnce(out);

        CapturedOut restart = CapturedOut.of(args("terminated", "available-now"));
        assertEquals(0, restart.code(), restart.text());
        assertSameModel(out);
    }

    /** The stream's command line, writing {@code name} with checkpoint {@code name-ck}. */
    private static String[] args(String name, String trigger) {
        return new String[] {"stream", "--input", input.toString(), "--format", "csv", "--k", "3", "--seed", "7",
            "--max-files-per-trigger", "1", "--trigger", trigger,
            "--checkpoint-dir", dir.resolve(name + "-ck").toString(), "--output", dir.resolve(name).toString()};
    }

    private static void assertSameModel(Path out) throws Exception {
        assertBatchesOnce(out);
        Mixture m = StreamFiles.model(out);
        assertEquals(reference.k(), m.k());
        assertArrayEquals(reference.weights(), m.weights(), 1e-9);
        for (int c = 0; c < m.k(); c++) {
            assertArrayEquals(reference.mean(c), m.mean(c), 1e-9, "mean " + c);
            assertArrayEquals(reference.covariance(c), m.covariance(c), 1e-9, "covariance " + c);
        }
    }

    /** metrics.json lists the batches 0, 1, ... each once, and every file's rows once. */
    private static void assertBatchesOnce(Path out) throws Exception {
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        List<Long> ids = new ArrayList<>();
        metrics.get("batches").forEach(b -> ids.add(b.get("batchId").asLong()));
        assertEquals(LongStream.range(0, ids.size()).boxed().toList(), ids, "each batch once, in order");
        assertEquals(500L * ids.size(), metrics.get("rows").asLong());
    }

    private static void waitForBatches(Path out, int batches, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && child.isAlive()) {
            Path metrics = out.resolve("metrics.json");
            if (Files.exists(metrics) && JSON.readTree(metrics.toFile()).get("batches").size() >= batches) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + batches + " batches while the child ran: " + Files.readString(log));
    }

    /** A main class in a fresh JVM with this JVM's classpath and flags, on local[2]. */
    private static Process start(String main, List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Djdk.reflect")
                    || flag.startsWith("-Dio.netty")) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dspark.ui.enabled=false", "-cp", System.getProperty("java.class.path"),
                main));
        command.addAll(args);
        command.addAll(List.of("--master", "local[2]"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** One in-process run with its output captured. */
    private record CapturedOut(int code, String text) {
        static CapturedOut of(String... args) {
            java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            java.io.PrintStream stdout = System.out;
            java.io.PrintStream stderr = System.err;
            int code;
            try (java.io.PrintStream both = new java.io.PrintStream(captured, true,
                    java.nio.charset.StandardCharsets.UTF_8)) {
                System.setOut(both);
                System.setErr(both);
                code = MixSparkCli.run(args);
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            return new CapturedOut(code, captured.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
