package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch of {@code predict --stream} that Spark replays after its predictions were published
 * replaces them whole even when the old folder cannot be deleted (a file in it made immutable with
 * chattr, where the test runs as root on a file system that has it): the old folder is moved aside
 * first, so the new one lands where readers look, never inside the old one.
 */
class StreamingPredictReplayTest {

    @TempDir
    Path dir;

    @AfterEach
    void reset() throws Exception {
        StreamingPredict.hook = (step, batchId) -> { };
        new ProcessBuilder("chattr", "-R", "-i", dir.toString()).redirectErrorStream(true).start().waitFor();
    }

    @Test
    void aReplayedBatchReplacesAFolderThatCannotBeDeleted() throws Exception {
        SharedSpark.session();
        Path landing = Files.createDirectories(dir.resolve("landing"));
        Path model = dir.resolve("model.json");
        Files.writeString(model, StreamingPredictTest.MODEL_A);
        StreamingPredictTest.land(landing.resolve("a.csv"), StreamingPredictTest.csvRows(0, 6), dir);
        String[] args = {"predict", "--stream", "--model", model.toString(), "--input", landing.toString(),
            "--format", "csv", "--id-col", "id", "--checkpoint-dir", dir.resolve("ck").toString(), "--trigger",
            "available-now", "--output", dir.resolve("out").toString()};

        StreamingPredict.hook = (step, batchId) -> {
            if (step == StreamingPredict.Step.PREDICTIONS_PUBLISHED) {
                throw new IllegalStateException("failed after publishing the batch");
            }
        };
        CapturedRun failed = CapturedRun.of(args);
        assertNotEquals(0, failed.code(), failed.text());
        StreamingPredict.hook = (step, batchId) -> { };
        Path batch = dir.resolve("out").resolve("predictions").resolve("batch=0");
        Path part;
        try (Stream<Path> files = Files.list(batch)) {
            part = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        Process chattr = new ProcessBuilder("chattr", "+i", part.toString()).redirectErrorStream(true).start();
        assumeTrue(chattr.waitFor() == 0, "chattr +i needs root and a file system that has it");

        CapturedRun replayed = CapturedRun.of(args);
        assertEquals(0, replayed.code(), replayed.text());
        try (Stream<Path> inside = Files.list(batch)) {
            List<String> hidden = inside.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
                    .filter(n -> !n.endsWith(".crc")).toList();
            assertEquals(List.of(), hidden, "the replayed batch landed inside the old folder: " + replayed.text());
        }
        assertEquals(6, SharedSpark.session().read().parquet(batch.toString()).count());
    }
}
