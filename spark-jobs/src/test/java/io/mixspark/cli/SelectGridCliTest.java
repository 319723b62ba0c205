package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code select --covariance all}: the whole grid, each candidate with its free parameters and
 * mclust's BIC, and the cells that failed listed with the kind of failure.
 */
class SelectGridCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ERRORS = Path.of("src/test/resources/errors").toAbsolutePath();
    private static final String IRIS = Path.of("..", "data", "iris.csv").toAbsolutePath().normalize().toString();

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void allFitsEveryTypeAndEachCandidateCarriesItsDfAndMclustsBic(@TempDir Path dir) throws Exception {
        String out = dir.resolve("all").toString();
        CapturedRun run = CapturedRun.of("select", "--input", IRIS, "--k", "1..3", "--covariance", "all",
                "--kernel", "java", "--seed", "2", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());

        JsonNode selection = JSON.readTree(new File(out, "selection.json"));
        JsonNode candidates = selection.get("candidates");
        assertEquals(3 * 14, candidates.size());
        double smallest = Double.POSITIVE_INFINITY;
        for (JsonNode c : candidates) {
            int k = c.get("k").asInt();
            CovarianceType type = CovarianceType.parse(c.get("covarianceType").asText());
            assertEquals(-c.get("bic").asDouble(), c.get("bicMclust").asDouble(), 0.0, c.toString());
            long df = (k - 1) + 4L * k + type.covarianceParameters(k, 4);
            assertEquals(df, c.get("df").asLong(), c.toString());
            smallest = Math.min(smallest, c.get("bic").asDouble());
        }
        JsonNode model = JSON.readTree(new File(out, "model.json"));
        assertEquals(smallest, model.get("bic").asDouble(), 0.0);
        assertEquals(-smallest, model.get("bicMclust").asDouble(), 0.0);
        assertEquals(0, selection.get("failed").size());
    }

    @Test
    void aSingularCellIsListedAsSingularWithItsReason(@TempDir Path dir) throws Exception {
        String out = dir.resolve("singular").toString();
        CapturedRun run = CapturedRun.of("select", "--input", ERRORS.resolve("collinear.csv").toString(), "--k",
                "1..2", "--covariance", "full,diag", "--reg-covar", "0", "--kernel", "java", "--allow-partial",
                "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());

        JsonNode selection = JSON.readTree(new File(out, "selection.json"));
        JsonNode failed = selection.get("failed");
        assertEquals(2, failed.size(), failed.toString());
        for (JsonNode f : failed) {
            assertEquals("VVV", f.get("covarianceType").asText());
            assertEquals("singular", f.get("kind").asText());
            assertTrue(f.get("reason").asText().contains("covariance"), f.toString());
        }
        assertEquals(2, selection.get("candidates").size());
        assertEquals("VVI", selection.get("chosen").get("covarianceType").asText());
    }

    @Test
    void aModelThePriorRefusesIsListedAsAPriorFailure(@TempDir Path dir) throws Exception {
        String out = dir.resolve("prior").toString();
        CapturedRun run = CapturedRun.of("select", "--input", IRIS, "--k", "2", "--covariance", "VVV,VEE", "--prior",
                "default", "--kernel", "java", "--allow-partial", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());

        JsonNode failed = JSON.readTree(new File(out, "selection.json")).get("failed");
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("VEE", failed.get(0).get("covarianceType").asText());
        assertEquals("prior", failed.get(0).get("kind").asText());
        assertTrue(failed.get(0).get("reason").asText().contains("VEE"), failed.toString());
    }

    @Test
    void withNoBatchMemoryEveryFitPassesAloneToTheSameSelection(@TempDir Path dir) throws Exception {
        JsonNode[] selections = new JsonNode[2];
        long[] passes = new long[2];
        String[] memory = {"64", "0"};
        for (int i = 0; i < 2; i++) {
            String out = dir.resolve("memory-" + memory[i]).toString();
            CapturedRun run = CapturedRun.of("select", "--input", IRIS, "--k", "1..3", "--covariance", "full,diag",
                    "--n-init", "2", "--kernel", "java", "--batch-memory", memory[i], "--output", out);
            assertEquals(ExitCodes.OK, run.code(), run.text());
            selections[i] = JSON.readTree(new File(out, "selection.json"));
            passes[i] = JSON.readTree(new File(out, "metrics.json")).get("gridPasses").asLong();
        }
        assertTrue(passes[1] > 3 * passes[0], passes[1] + " passes unbatched, " + passes[0] + " batched");
        assertEquals(selections[0].get("chosen"), selections[1].get("chosen"));
        for (int c = 0; c < 6; c++) {
            JsonNode batched = selections[0].get("candidates").get(c);
            JsonNode alone = selections[1].get("candidates").get(c);
            assertEquals(batched.get("iterations"), alone.get("iterations"), batched.toString());
            assertEquals(batched.get("bic").asDouble(), alone.get("bic").asDouble(),
                    1e-9 * Math.abs(batched.get("bic").asDouble()), batched.toString());
        }
    }

    @Test
    void allGoesAloneAndNoTypeTwice() {
        assertEquals(CovarianceType.multivariate(), SelectCommand.covarianceTypes(List.of(" ALL "), 4));
        assertEquals(14, SelectCommand.covarianceTypes(List.of("all"), 4).size());
        assertEquals(List.of(CovarianceType.E, CovarianceType.V), SelectCommand.covarianceTypes(List.of("all"), 1));
        assertEquals(List.of(CovarianceType.VVI, CovarianceType.EVE),
                SelectCommand.covarianceTypes(List.of("diag", "EVE"), 4));
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> SelectCommand.covarianceTypes(List.of("all", "full"), 4));
        assertTrue(alone.getMessage().contains("give it alone"), alone.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> SelectCommand.covarianceTypes(List.of("full", "diag", "VVV"), 4));
        assertTrue(twice.getMessage().contains("names VVV (full) twice"), twice.getMessage());
    }
}
