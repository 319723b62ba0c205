package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Path;
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
}
