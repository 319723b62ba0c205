package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --covariance} with mclust's names: what is written, and the two ways such a fit is refused. */
class MclustModelsCliTest {

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
    void anMclustModelInAnyCaseIsFittedAndWrittenByItsName() throws Exception {
        String out = dir.resolve("vev").toString();
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "3", "--covariance", "vev", "--seed", "2",
                "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("fitted k=3 VEV on 150 rows"), run.text());
        JsonNode model = JSON.readTree(new File(out, "model.json"));
        assertEquals("VEV", model.get("covarianceType").asText());
        ModelJson.Named back = ModelJson.parse(Files.readString(Path.of(out, "model.json")), "model.json");
        // mclust's df: 2 weights, 12 means, 3 volumes, 3 shape values, 3 x 6 orientation angles.
        assertEquals(2 + 12 + 3 + 3 + 18, back.mixture().parameterCount());
        double bic = model.get("bic").asDouble();
        assertEquals(-2 * model.get("logLikelihood").asDouble() + 38 * Math.log(150), bic, 1e-9 * Math.abs(bic));
    }

    @Test
    void aUnivariateModelOnSeveralFeaturesIsRefused() {
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "2", "--covariance", "E", "--output",
                dir.resolve("e").toString());
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("the covariance model E is for one feature, the data has 4; use EII"),
                run.text());
    }

    @Test
    void aSingularScatterFailsAModelThatDividesByItsVolume() {
        CapturedRun run = CapturedRun.of("fit", "--input", ERRORS.resolve("collinear.csv").toString(), "--k", "1",
                "--covariance", "EVV", "--output", dir.resolve("evv").toString());
        assertEquals(ExitCodes.NUMERICAL, run.code(), run.text());
        assertTrue(run.text().contains("the EVV M-step met a singular scatter"), run.text());
    }
}
