package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.nativekernel.NativeLibrary;
import io.mixspark.spark.MissingPatterns;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke test of {@code mixspark bench}: it runs every system and reports consistent numbers. */
class BenchCommandTest {

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void benchRunsMixSparkAndMllibFromTheSameStart(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        assertEquals(0, MixSparkCli.run("bench", "--n", "3000", "--d", "3", "--k", "2", "--iterations", "3",
                "--peers", "mllib", "--storage", "float", "--json", json.toString()));
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(3000, report.get("n").asLong());
        assertEquals("float", report.get("storage").asText());
        double bytesPerRow = report.get("cachedBytesPerRow").asDouble();
        assertTrue(bytesPerRow >= 4 * 3 && bytesPerRow < 8 * 3, bytesPerRow + " cached bytes per row");
        JsonNode systems = report.get("systems");
        assertEquals(2, systems.size());
        assertTrue(systems.get(0).get("system").asText().startsWith("mixspark"));
        assertEquals("spark-mllib", systems.get(1).get("system").asText());
        assertEquals(1.0, systems.get(0).get("ratio").asDouble(), 1e-12);
        assertTrue(systems.get(0).get("secondsPerIteration").asDouble() > 0);
        for (JsonNode s : systems) {
            // MLlib's time is a difference of two runs: finite, though on tiny data it is mostly noise.
            assertTrue(Double.isFinite(s.get("secondsPerIteration").asDouble()), s.toString());
            assertTrue(Double.isFinite(s.get("meanLogLikelihood").asDouble()), s.toString());
        }
        // Same start, same number of EM steps on well-separated data: the same optimum.
        assertEquals(systems.get(0).get("meanLogLikelihood").asDouble(),
                systems.get(1).get("meanLogLikelihood").asDouble(), 0.05);
    }

    /** Each peer runs --peer-runs times; its ratio is its median's, and the range spans the runs. */
    @Test
    void benchRunsEachPeerSeveralTimesAndComparesTheMedian(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CapturedRun run = CapturedRun.of("bench", "--n", "1000", "--d", "2", "--k", "2", "--iterations", "2",
                "--peers", "mllib", "--peer-runs", "3", "--json", json.toString());
        assertEquals(0, run.code(), run.text());
        JsonNode systems = new ObjectMapper().readTree(json.toFile()).get("systems");
        JsonNode ours = systems.get(0);
        JsonNode mllib = systems.get(1);
        double[] runs = new double[3];
        for (int i = 0; i < 3; i++) {
            runs[i] = mllib.get("runs").get(i).asDouble();
        }
        assertEquals(3, mllib.get("runs").size());
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[1], mllib.get("secondsPerIteration").asDouble(), 0, "the median of the runs");
        assertEquals(sorted[0], mllib.get("min").asDouble(), 0);
        assertEquals(sorted[2], mllib.get("max").asDouble(), 0);
        assertEquals(sorted[1] / ours.get("secondsPerIteration").asDouble(), mllib.get("ratio").asDouble(), 1e-12);
        String row = run.text().lines().filter(l -> l.startsWith("| spark-mllib |")).findFirst().orElseThrow();
        for (double r : runs) {
            // Each run is timed between the starts of MLlib's per-iteration jobs: never negative or
            // NaN, as a difference of two separately timed fits could be.
            assertTrue(r > 0 && Double.isFinite(r), "an MLlib run of " + r + " s per iteration");
            assertTrue(row.contains(String.format(Locale.ROOT, "%.4f", r)), row);
        }
    }

    /** MixSpark's whole-iteration flop rate against the FMA peak of the kernel's own instruction set. */
    @Test
    void benchReportsTheShareOfThePeakMeasuredInTheSameRun(@TempDir Path dir) throws Exception {
        assumeTrue(NativeLibrary.loaded(), "native library not loaded");
        Path json = dir.resolve("bench.json");
        CapturedRun run = CapturedRun.of("bench", "--n", "2000", "--d", "3", "--k", "2", "--iterations", "2",
                "--peers", "none", "--kernel", "native-avx2", "--partitions", "1", "--json", json.toString());
        assertEquals(0, run.code(), run.text());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals("native-avx2", report.get("peakRoutine").asText());
        assertEquals(1, report.get("coresUsed").asInt(), "one partition keeps one core busy");
        double perCore = report.get("peakGflopsPerCore").asDouble();
        double peak = report.get("peakGflops").asDouble();
        double gflops = report.get("gflops").asDouble();
        assertTrue(perCore > 0 && Double.isFinite(perCore), report.toString());
        assertEquals(perCore * report.get("coresUsed").asInt(), peak, 1e-9 * peak);
        double seconds = report.get("systems").get(0).get("secondsPerIteration").asDouble();
        assertEquals(2.0 * 2000 * 2 * 3 * 3 / seconds / 1e9, gflops, 1e-9 * gflops, "2 n K d^2 flops per iteration");
        assertEquals(100 * gflops / peak, report.get("percentOfPeak").asDouble(), 1e-9);
        assertTrue(run.text().contains("of the peak"), run.text());
    }

    @Test
    void benchTimesTheSameRowsWithMissingValuesAgainstTheComplete(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        assertEquals(0, MixSparkCli.run("bench", "--n", "3000", "--d", "4", "--k", "2", "--iterations", "3",
                "--peers", "none", "--missing-share", "0.25", "--missing-patterns", "4", "--json", json.toString()));
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, report.get("missingPatterns").asInt());
        assertEquals(0.25, report.get("missingShare").asDouble(), 0.03, "each row misses one of 4 features");
        JsonNode systems = report.get("systems");
        assertEquals(2, systems.size());
        double ratio = report.get("missingRatio").asDouble();
        assertTrue(ratio > 0 && Double.isFinite(ratio), "ratio " + ratio);
        assertEquals(ratio, systems.get(1).get("ratio").asDouble(), 1e-12);
    }

    @Test
    void missingPatternsMissTheShareAskedForAndNeverAWholeRow() {
        MissingPatterns patterns = MissingPatterns.draw(16, 0.2, 8, new Random(1));
        assertEquals(8, patterns.count());
        assertEquals(26.0 / 128, patterns.share(), 1e-15, "round(0.2 * 16 * 8) = 26 of 128 values");
        assertEquals(15.0 / 16, MissingPatterns.draw(16, 15.0 / 16, 3, new Random(2)).share(), 1e-15);
    }

    /**
     * A peer that writes a lot to standard error before its result (scikit-learn's warnings can)
     * does not stall the benchmark: both streams are drained.
     */
    @Test
    void aChattyPeerDoesNotStallTheBenchmark(@TempDir Path dir) throws Exception {
        Path peer = dir.resolve("chatty-python");
        Files.writeString(peer, "#!/bin/sh\n"
                + "head -c 1000000 /dev/zero | tr '\\0' 'w' >&2\n"
                + "echo '{\"secondsPerIteration\": 0.5, \"meanLogLikelihood\": -3.0}'\n");
        assertTrue(peer.toFile().setExecutable(true));
        Path json = dir.resolve("bench.json");
        int code = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> MixSparkCli.run("bench", "--n", "2000",
                "--d", "2", "--k", "2", "--iterations", "2", "--peers", "sklearn", "--python", peer.toString(),
                "--json", json.toString()));
        assertEquals(0, code);
        JsonNode systems = new ObjectMapper().readTree(json.toFile()).get("systems");
        assertEquals("scikit-learn", systems.get(1).get("system").asText());
        assertEquals(-3.0, systems.get(1).get("meanLogLikelihood").asDouble());
    }
}
