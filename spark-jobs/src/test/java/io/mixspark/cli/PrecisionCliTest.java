package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --precision}: fit, select, predict and bench run the float kernels and say so in their outputs. */
class PrecisionCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String iris;

    @BeforeAll
    static void start() {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
    }

    private static JsonNode read(String dir, String file) throws Exception {
        return JSON.readTree(new File(dir, file));
    }

    @Test
    void aFloatFitRecordsItsPrecisionAndEndsWhereTheDoubleFitEnds(@TempDir Path dir) throws Exception {
        String exact = dir.resolve("double").toString();
        String single = dir.resolve("float").toString();
        String[] common = {"fit", "--input", iris, "--k", "3", "--label-col", "species", "--seed", "1",
                "--max-iter", "40", "--tol", "0"};
        CapturedRun d = CapturedRun.of(concat(common, "--output", exact));
        CapturedRun f = CapturedRun.of(concat(common, "--precision", "float", "--output", single));
        assertEquals(0, d.code(), d.text());
        assertEquals(0, f.code(), f.text());
        assertEquals("double", read(exact, "model.json").get("precision").asText());
        assertEquals("float", read(single, "model.json").get("precision").asText());
        assertEquals("double", read(exact, "metrics.json").get("precision").asText());
        assertEquals("float", read(single, "metrics.json").get("precision").asText());
        double expected = read(exact, "metrics.json").get("meanLogLikelihood").asDouble();
        double actual = read(single, "metrics.json").get("meanLogLikelihood").asDouble();
        assertEquals(expected, actual, 1e-6 * Math.abs(expected));
        assertNotEquals(expected, actual, "the float fit computed in double");

        String scored = dir.resolve("predict").toString();
        CapturedRun p = CapturedRun.of("predict", "--model", single, "--input", iris, "--label-col", "species",
                "--precision", "float", "--output", scored);
        assertEquals(0, p.code(), p.text());
        assertEquals("float", read(scored, "metrics.json").get("precision").asText());
        assertEquals(actual, read(scored, "metrics.json").get("meanLogLikelihood").asDouble(),
                1e-6 * Math.abs(actual));
    }

    @Test
    void selectRecordsItsPrecision(@TempDir Path dir) throws Exception {
        String out = dir.resolve("select").toString();
        CapturedRun run = CapturedRun.of("select", "--input", iris, "--label-col", "species", "--k", "2..3",
                "--covariance", "full", "--precision", "float", "--output", out);
        assertEquals(0, run.code(), run.text());
        assertEquals("float", read(out, "metrics.json").get("precision").asText());
        assertEquals("float", read(out, "model.json").get("precision").asText());
    }

    @Test
    void benchReportsItsPrecision(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CapturedRun run = CapturedRun.of("bench", "--n", "2000", "--d", "3", "--k", "2", "--iterations", "2",
                "--peers", "none", "--precision", "float", "--json", json.toString());
        assertEquals(0, run.code(), run.text());
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("float", report.get("precision").asText());
        assertTrue(report.get("systems").get(0).get("system").asText().contains("float arithmetic"), run.text());
    }

    @Test
    void theEstimatorParamRejectsOtherValues() {
        MixSparkGaussianMixture gmm = new MixSparkGaussianMixture();
        assertEquals("double", gmm.getPrecision());
        assertEquals("float", gmm.setPrecision("float").getPrecision());
        assertEquals("float", gmm.emOptions().precision().id());
        try {
            gmm.setPrecision("half");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("precision"), e.getMessage());
            return;
        }
        throw new AssertionError("precision 'half' was accepted");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
