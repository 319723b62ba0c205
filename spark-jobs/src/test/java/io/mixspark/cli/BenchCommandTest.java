package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.MissingPatterns;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
