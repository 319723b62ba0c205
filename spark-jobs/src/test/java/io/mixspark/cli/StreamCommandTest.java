package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.gmm.Mixture;
import io.mixspark.spark.SharedSpark;
import io.mixspark.stream.StreamFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mixspark stream} on directories of CSV files drawn from known mixtures, one file per
 * micro-batch: the model after the last batch against a batch {@code fit}, on stationary data, on
 * data whose mixture moves halfway, and on data that gains clusters.
 */
class StreamCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void aStationaryStreamEndsWithinAHundredthOfANatOfTheBatchFit(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("landing");
        double[] rows = StreamFiles.write(input, StreamFiles.threeClusters(0), 0, 40, 5000, 1);
        Path out = dir.resolve("stream");
        CapturedRun run = stream(input, dir.resolve("ck"), out, "--k", "3");
        assertEquals(0, run.code(), run.text());

        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(40, metrics.get("batches").size(), "one batch per file");
        assertEquals(200_000, metrics.get("rows").asLong());
        Mixture fitted = fit(input, dir.resolve("fit"), "3");
        double streamed = StreamFiles.meanLogLikelihood(StreamFiles.model(out), rows);
        double batch = StreamFiles.meanLogLikelihood(fitted, rows);
        assertEquals(batch, streamed, 0.01, "streamed " + streamed + ", batch fit " + batch);
    }

    /**
     * 40 files of 500 rows, four per batch; the mixture moves by (2, 2) after the 20th. With a constant
     * step the model forgets the old place; with the decreasing step it keeps a share of it. The decay
     * follows the rule of docs/STREAMING.md: a regime of B = 5 batches is forgotten to a share of
     * 10^-3 by {@code 1 - 0.001^(1/B)}, 0.75 (checked on data seeds 101 to 110, {@code DriftTuning};
     * asserted on seed 7).
     */
    @Test
    void withDecayAStreamFollowsAMovedMixtureAndWithoutItLagsBehind(@TempDir Path dir) throws Exception {
        long seed = 7;
        Path input = dir.resolve("landing");
        StreamFiles.write(input, StreamFiles.threeClusters(0), 0, 20, 500, seed);
        double[] moved = StreamFiles.write(input, StreamFiles.threeClusters(2), 20, 20, 500, seed);
        Path moving = dir.resolve("moved");
        StreamFiles.write(moving, StreamFiles.threeClusters(2), 20, 20, 500, seed);
        double batch = StreamFiles.meanLogLikelihood(fit(moving, dir.resolve("fit"), "3"), moved);

        int batchesPerRegime = 5;
        String decay = String.format(java.util.Locale.ROOT, "%.2f", 1 - Math.pow(1e-3, 1.0 / batchesPerRegime));
        Path decayed = dir.resolve("decay");
        CapturedRun run = stream(input, dir.resolve("ck-decay"), decayed, "--k", "3", "--decay", decay,
                "--max-files-per-trigger", "4");
        assertEquals(0, run.code(), run.text());
        Path plain = dir.resolve("plain");
        run = stream(input, dir.resolve("ck-plain"), plain, "--k", "3", "--max-files-per-trigger", "4");
        assertEquals(0, run.code(), run.text());

        double withDecay = StreamFiles.meanLogLikelihood(StreamFiles.model(decayed), moved);
        double without = StreamFiles.meanLogLikelihood(StreamFiles.model(plain), moved);
        String scores = "on the last 20 files: batch fit " + batch + ", stream with --decay " + withDecay
                + ", without " + without;
        assertEquals(batch, withDecay, 0.05, scores);
        assertTrue(without < batch - 0.05 && without < withDecay - 0.05, "without decay measurably worse: " + scores);
    }

    /** 4 files from three clusters, then 8 from five: growth ends within one of five components. */
    @Test
    void aStreamThatGainsTwoClustersGrowsToTheRightNumberOfComponents(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("landing");
        StreamFiles.write(input, StreamFiles.threeClusters(0), 0, 4, 1000, 3);
        StreamFiles.write(input, StreamFiles.fiveClusters(), 4, 8, 1000, 3);
        Path out = dir.resolve("grown");
        CapturedRun run = stream(input, dir.resolve("ck"), out, "--k", "3", "--max-k", "8");
        assertEquals(0, run.code(), run.text());

        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, metrics.get("batches").get(3).get("k").asInt(), "three components before the new clusters");
        int k = StreamFiles.model(out).k();
        assertTrue(Math.abs(k - 5) <= 1, "ends with " + k + " components for 5 clusters: " + run.text());
        assertEquals(k, metrics.get("k").asInt());
    }

    /**
     * A restart continues the stream it finds in its checkpoint: with other settings (other k, other
     * --invalid) it is refused, with another --kernel it goes on, and a later file whose header names other columns than the first run's is refused rather
     * than read by position.
     */
    @Test
    void aRestartKeepsTheFirstRunsSettingsAndColumns(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("landing");
        StreamFiles.write(input, StreamFiles.threeClusters(0), 0, 2, 300, 4);
        Path checkpoint = dir.resolve("ck");
        Path out = dir.resolve("out");
        CapturedRun first = stream(input, checkpoint, out, "--k", "3");
        assertEquals(0, first.code(), first.text());

        CapturedRun other = stream(input, checkpoint, out, "--k", "2");
        assertEquals(ExitCodes.INPUT_DATA, other.code(), other.text());
        assertTrue(other.text().contains("holds the state of a stream with other settings"), other.text());
        // --invalid decides which rows the model learns from; --kernel only how they are summed
        CapturedRun skipping = stream(input, checkpoint, out, "--k", "3", "--invalid", "skip");
        assertEquals(ExitCodes.INPUT_DATA, skipping.code(), skipping.text());
        assertTrue(skipping.text().contains("holds the state of a stream with other settings"), skipping.text());
        CapturedRun otherKernel = stream(input, checkpoint, out, "--k", "3", "--kernel", "java");
        assertEquals(0, otherKernel.code(), otherKernel.text());

        Path swapped = input.resolve("part-100.csv");
        Files.writeString(swapped, "x2,x1\n1.0,2.0\n2.0,1.0\n");
        Files.setLastModifiedTime(swapped, FileTime.fromMillis(System.currentTimeMillis()));
        CapturedRun later = stream(input, checkpoint, out, "--k", "3");
        assertEquals(ExitCodes.INPUT_DATA, later.code(), later.text());
        assertTrue(later.text().contains("error: CSV header does not conform to the schema; Header: x2, x1; Schema:"
                + " x1, x2"), later.text());
        assertEquals(2, JSON.readTree(out.resolve("metrics.json").toFile()).get("batches").size(),
                "the outputs of the first run stay");
    }

    /**
     * {@code --overwrite} replaces an existing output only once the new stream has its first model: a
     * run that fails before then leaves the old output whole; one that gets there leaves only its own.
     */
    @Test
    void overwriteKeepsTheOldOutputUntilTheNewStreamWritesItsFirstModel(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("predictions"));
        String oldModel = Files.readString(Path.of("src/test/resources/errors/x-model.json"));
        Files.writeString(out.resolve("model.json"), oldModel);
        Files.writeString(out.resolve("predictions").resolve("part-0.csv"), "x,cluster\n1.0,0\n");
        Files.writeString(out.resolve("_SUCCESS"), "");

        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("part-0.csv"), "x1,x2\n1.0,2.0\n2.0,NaN\n");
        CapturedRun failed = stream(bad, dir.resolve("ck-bad"), out, "--k", "1", "--overwrite");
        assertEquals(ExitCodes.INPUT_DATA, failed.code(), failed.text());
        assertEquals(oldModel, Files.readString(out.resolve("model.json")), "the old model stays: " + failed.text());
        assertTrue(Files.exists(out.resolve("predictions").resolve("part-0.csv")), "the old output stays whole");

        Path input = dir.resolve("landing");
        StreamFiles.write(input, StreamFiles.threeClusters(0), 0, 1, 300, 5);
        CapturedRun replaced = stream(input, dir.resolve("ck"), out, "--k", "3", "--overwrite");
        assertEquals(0, replaced.code(), replaced.text());
        assertEquals(3, StreamFiles.model(out).k());
        assertTrue(Files.exists(out.resolve("metrics.json")));
        assertTrue(Files.notExists(out.resolve("predictions")), "the old output's other files are gone");
    }

    static CapturedRun stream(Path input, Path checkpoint, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("stream", "--input", input.toString(), "--format", "csv",
                "--checkpoint-dir", checkpoint.toString(), "--output", out.toString(), "--seed", "3"));
        args.addAll(List.of(more));
        if (!args.contains("--max-files-per-trigger")) {
            args.addAll(List.of("--max-files-per-trigger", "1"));
        }
        return CapturedRun.of(args.toArray(String[]::new));
    }

    private static Mixture fit(Path input, Path out, String k) {
        CapturedRun run = CapturedRun.of("fit", "--input", input.toString(), "--format", "csv", "--k", k,
                "--seed", "1", "--output", out.toString());
        assertEquals(0, run.code(), run.text());
        return StreamFiles.model(out);
    }
}
