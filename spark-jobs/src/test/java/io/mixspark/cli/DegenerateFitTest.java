package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fits whose components rest on fewer rows than their covariances need succeed with a warning on
 * standard output and in metrics.json; an SDP on data with fewer distinct rows than k is refused
 * as {@code fit} refuses it.
 */
class DegenerateFitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ERRORS = Paths.get("src", "test", "resources", "errors").toAbsolutePath();
    private static String iris;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
    }

    @Test
    void moreDimensionsThanRowsIsWarnedAndRecorded() throws Exception {
        String out = dir.resolve("wide").toString();
        CapturedRun run = CapturedRun.of("fit", "--input", file("noise-wide.csv"), "--k", "1", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("warning: component 0 rests on 8.0 rows, fewer than the 11 its VVV (full) covariance"
                + " in d = 10 needs"), run.text());
        JsonNode warning = onlyWarning(out);
        assertEquals("too-few-rows-per-component", warning.get("code").asText());
        assertTrue(warning.get("message").asText().startsWith("component 0 rests on 8.0 rows"), warning.toString());
    }

    @Test
    void oneRowIsWarned() throws Exception {
        String out = dir.resolve("one").toString();
        CapturedRun run = CapturedRun.of("fit", "--input", file("one-row.csv"), "--k", "1", "--covariance", "diag",
                "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("warning: component 0 rests on 1.0 rows, fewer than the 2 its VVI (diag) covariance"),
                run.text());
        assertEquals("too-few-rows-per-component", onlyWarning(out).get("code").asText());
    }

    @Test
    void aWellDeterminedFitHasNoWarnings() throws Exception {
        String out = dir.resolve("iris").toString();
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "3", "--label-col", "species", "--seed", "1",
                "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(!run.text().contains("warning:"), run.text());
        assertEquals(0, JSON.readTree(new File(out, "metrics.json")).get("warnings").size());
    }

    @Test
    void sdpRefusesFewerDistinctRowsThanK() {
        String out = dir.resolve("sdp").toString();
        CapturedRun fit = CapturedRun.of("fit", "--input", file("identical.csv"), "--k", "2", "--output", out);
        CapturedRun sdp = CapturedRun.of("sdp", "--input", file("identical.csv"), "--k", "2", "--output", out);
        assertEquals(ExitCodes.INPUT_DATA, fit.code(), fit.text());
        assertEquals(ExitCodes.INPUT_DATA, sdp.code(), sdp.text());
        assertTrue(sdp.text().contains("error: found only 1 distinct rows"), sdp.text());
        assertTrue(!new File(out).exists(), "a failed run leaves no output");
    }

    @Test
    void sdpWarnsLikeFit() throws Exception {
        String out = dir.resolve("sdp-one").toString();
        CapturedRun run = CapturedRun.of("sdp", "--input", file("noise-wide.csv"), "--k", "2", "--solver", "dense",
                "--method", "ila-sdp", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("warning: 2 of 2 components rest on fewer than the 11 rows a VVV (full) covariance"
                + " in d = 10 needs"), run.text());
        assertEquals("too-few-rows-per-component", JSON.readTree(new File(out, "metrics.json")).get("warnings")
                .get(0).get("code").asText());
    }

    private static JsonNode onlyWarning(String out) throws Exception {
        JsonNode warnings = JSON.readTree(new File(out, "metrics.json")).get("warnings");
        assertTrue(warnings != null && warnings.size() == 1, String.valueOf(warnings));
        return warnings.get(0);
    }

    private static String file(String name) {
        return ERRORS.resolve(name).toString();
    }
}
