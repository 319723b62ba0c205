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
 * {@code fit --init hc} and {@code --prior default} end to end on iris: the same fits as mclust's
 * pipeline, its hierarchical start then EM, with and without its default prior (reference:
 * algorithms/src/test/resources/reference/mclust/make_prior_reference.R).
 */
class MclustStartAndPriorCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String iris;
    private static JsonNode reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
        reference = JSON.readTree(Paths.get("..", "algorithms", "src", "test", "resources", "reference", "mclust",
                "prior_fits.json").toFile());
    }

    /** Fits iris at k = 3 (full) from the hierarchical start, stopping at tol; returns the log-likelihood. */
    private double fitLogLikelihood(String name, String tol, String... extra) throws Exception {
        String out = dir.resolve(name).toString();
        String[] base = {"fit", "--input", iris, "--label-col", "species", "--k", "3", "--covariance", "full",
            "--init", "hc", "--reg-covar", "0", "--tol", tol, "--max-iter", "2000", "--output", out};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CapturedRun run = CapturedRun.of(args);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertTrue(metrics.get("converged").asBoolean(), name);
        return metrics.get("meanLogLikelihood").asDouble() * metrics.get("rows").asLong();
    }

    @Test
    void theHierarchicalStartReachesMclustsVvvFit() throws Exception {
        double mclust = reference.get("irisMaximumLikelihoodVVV3").get("loglik").asDouble();
        assertEquals(mclust, fitLogLikelihood("ml", "1e-9"), 1e-6 * Math.abs(mclust));
    }

    @Test
    void withTheDefaultPriorTheFitIsMclustsMapFit() throws Exception {
        double mclust = Double.NaN;
        for (JsonNode c : reference.get("cases")) {
            if (c.get("dataset").asText().equals("iris") && c.get("G").asInt() == 3
                    && c.get("model").asText().equals("VVV")) {
                mclust = c.get("loglik").asDouble();
            }
        }
        // The MAP fit creeps to its optimum; MclustPriorAgreementTest checks it to 1e-6 in memory.
        assertEquals(mclust, fitLogLikelihood("map", "1e-7", "--prior", "default"), 1e-5 * Math.abs(mclust));
    }

    @Test
    void aPriorThatIsNotKnownIsAUsageError() {
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "3", "--prior", "conjugate", "--output",
                dir.resolve("bad").toString());
        assertEquals(ExitCodes.USAGE, run.code(), run.text());
        assertTrue(run.text().contains("prior must be one of none, default, got 'conjugate'"), run.text());
    }
}
