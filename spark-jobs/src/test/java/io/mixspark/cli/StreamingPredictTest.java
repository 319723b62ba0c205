package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.spark.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict --stream} over a directory of files, into files. */
class StreamingPredictTest {

    /** Components at (0, 0) and (10, 10): a row near the origin is cluster 0. */
    static final String MODEL_A = model("[[0.0, 0.0], [10.0, 10.0]]");
    /** The same components in the other order: a row near the origin is cluster 1. */
    static final String MODEL_B = model("[[10.0, 10.0], [0.0, 0.0]]");

    static String model(String means) {
        return "{\"formatVersion\": 1, \"k\": 2, \"d\": 2, \"covarianceType\": \"full\", \"features\": [\"x\", \"y\"],"
                + " \"weights\": [0.5, 0.5], \"means\": " + means + ", \"covariances\": [[[1.0, 0.0], [0.0, 1.0]],"
                + " [[1.0, 0.0], [0.0, 1.0]]]}";
    }

    /** Rows {@code first..first+n-1} of alternating near-origin and near-(10, 10) points, with their id. */
    static String csvRows(int first, int n) {
        StringBuilder csv = new StringBuilder("id,x,y\n");
        for (int i = first; i < first + n; i++) {
            double c = i % 2 == 0 ? 0.0 : 10.0;
            csv.append("r").append(i).append(',').append(c + 0.01 * (i % 7)).append(',').append(c - 0.02 * (i % 5))
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void rowsAfterAModelSwapAreScoredWithTheNewModel(@TempDir Path dir) throws Exception {
        SparkSession spark = SharedSpark.session();
        Path landing = Files.createDirectories(dir.resolve("landing"));
        Path modelFile = dir.resolve("models").resolve("model.json");
        Files.createDirectories(modelFile.getParent());
        replace(modelFile, MODEL_A, dir);
        land(landing.resolve("part-1.csv"), csvRows(0, 20), dir);
        Path out = dir.resolve("out");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<CapturedRun> run = runner.submit(() -> CapturedRun.of("predict", "--stream",
                    "--model", modelFile.toString(), "--input", landing.toString(), "--format", "csv",
                    "--id-col", "id", "--checkpoint-dir", dir.resolve("checkpoint").toString(),
                    "--trigger", "200ms", "--output", out.toString()));
            awaitOrFail(() -> rowsScored(out) == 20, run, "the first file scored");
            replace(modelFile, MODEL_B, dir);
            land(landing.resolve("part-2.csv"), csvRows(20, 20), dir);
            awaitOrFail(() -> rowsScored(out) == 40, run, "the second file scored");
            for (StreamingQuery q : spark.streams().active()) {
                q.stop();
            }
            CapturedRun result = run.get(60, TimeUnit.SECONDS);
            assertEquals(0, result.code(), result.text());

            Map<String, Integer> cluster = new HashMap<>();
            for (Row r : spark.read().parquet(out.resolve("predictions").toString()).collectAsList()) {
                cluster.put(r.getString(r.fieldIndex("id")), r.getInt(r.fieldIndex("cluster")));
            }
            assertEquals(40, cluster.size());
            for (int i = 0; i < 40; i++) {
                boolean nearOrigin = i % 2 == 0;
                boolean swapped = i >= 20;
                int expected = nearOrigin != swapped ? 0 : 1;
                assertEquals(expected, cluster.get("r" + i), "row r" + i + (swapped ? " (after the swap)" : ""));
            }
            assertTrue(result.text().contains("reloaded the model from"), result.text());
            JsonNode batches = metrics(out).path("batches");
            assertNotEquals(batches.get(0).path("model").asText(),
                    batches.get(batches.size() - 1).path("model").asText(), batches.toString());
        } finally {
            for (StreamingQuery q : spark.streams().active()) {
                q.stop();
            }
            runner.shutdownNow();
        }
    }

    /** Written beside, then moved in, so the stream never lists a half-written file. */
    static void land(Path target, String text, Path scratch) throws IOException {
        Path tmp = Files.createTempFile(scratch, "landing", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    static void replace(Path target, String text, Path scratch) throws IOException {
        land(target, text, scratch);
    }

    static JsonNode metrics(Path out) {
        try {
            return JobOutputs.JSON.readTree(out.resolve("metrics.json").toFile());
        } catch (IOException e) {
            return JobOutputs.JSON.createObjectNode();
        }
    }

    static long rowsScored(Path out) {
        return metrics(out).path("rows").asLong(-1);
    }

    /** Waits for {@code condition}; fails at once, with what it printed, if the run ends first. */
    static void awaitOrFail(BooleanSupplier condition, Future<CapturedRun> run, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before " + what + ": " + run.get().text());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void listsEachBatchOnceAndTheirModel(@TempDir Path dir) throws Exception {
        SharedSpark.session();
        Path landing = Files.createDirectories(dir.resolve("landing"));
        Path modelFile = dir.resolve("model.json");
        Files.writeString(modelFile, MODEL_A);
        land(landing.resolve("a.csv"), csvRows(0, 6), dir);
        String[] args = {"predict", "--stream", "--model", modelFile.toString(), "--input", landing.toString(),
            "--format", "csv", "--checkpoint-dir", dir.resolve("ck").toString(), "--trigger", "available-now",
            "--output", dir.resolve("out").toString()};
        CapturedRun first = CapturedRun.of(args);
        assertEquals(0, first.code(), first.text());
        land(landing.resolve("b.csv"), csvRows(6, 4), dir);
        CapturedRun second = CapturedRun.of(args);
        assertEquals(0, second.code(), second.text());
        JsonNode m = metrics(dir.resolve("out"));
        assertEquals(10, m.path("rows").asLong(), m.toString());
        List<Long> ids = new java.util.ArrayList<>();
        m.path("batches").forEach(b -> ids.add(b.path("batchId").asLong()));
        assertEquals(List.of(0L, 1L), ids);
    }
}
