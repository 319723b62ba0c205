package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fit --init hc} and {@code --prior default} end to end on iris: the same fits as mclust's
 * pipeline, its hierarchical start then EM, with and without its default prior (reference:
 * algorithms/src/test/resources/reference/mclust/make_prior_reference.R, and for the models whose
 * MAP step is {@code me()}'s, algorithms/src/test/resources/mclust/make_mclust_reference.R).
 */
class MclustStartAndPriorCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String iris;
    private static JsonNode reference;
    private static JsonNode priorTable;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
        reference = JSON.readTree(Paths.get("..", "algorithms", "src", "test", "resources", "reference", "mclust",
                "prior_fits.json").toFile());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Paths.get("..", "algorithms", "src", "test",
                "resources", "mclust", "prior", "iris.json.gz")))) {
            priorTable = JSON.readTree(in);
        }
    }

    /** Fits iris (VVV) from the hierarchical start, stopping at tol; returns the log-likelihood. */
    private double fitLogLikelihood(String name, int k, String tol, String... extra) throws Exception {
        return fitModelLogLikelihood(name, k, "VVV", tol, extra);
    }

    /** Fits iris with this covariance model from the hierarchical start; returns the log-likelihood. */
    private double fitModelLogLikelihood(String name, int k, String covariance, String tol, String... extra)
            throws Exception {
        String out = dir.resolve(name).toString();
        String[] base = {"fit", "--input", iris, "--label-col", "species", "--k", String.valueOf(k), "--covariance",
            covariance,
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
        assertEquals(mclust, fitLogLikelihood("ml", 3, "1e-9"), 1e-6 * Math.abs(mclust));
    }

    @Test
    void withTheDefaultPriorTheFitIsMclustsMapFit() throws Exception {
        double mclust = Double.NaN;
        for (JsonNode c : reference.get("cases")) {
            if (c.get("dataset").asText().equals("iris") && c.get("G").asInt() == 2
                    && c.get("model").asText().equals("VVV")) {
                mclust = c.get("loglik").asDouble();
            }
        }
        // At k = 2 the MAP fit settles in a few iterations (at k = 3 it creeps for over a hundred).
        assertEquals(mclust, fitLogLikelihood("map", 2, "1e-11", "--prior", "default"), 1e-6 * Math.abs(mclust));
    }

    /** EEI, VEI, EVI, EEV and VEV take the prior as mclust's {@code me()} does (iris, G = 2). */
    @ParameterizedTest
    @ValueSource(strings = {"EEI", "VEI", "EVI", "EEV", "VEV"})
    void theModelsWhoseMapStepIsMesMatchMclust(String model) throws Exception {
        double mclust = Double.NaN;
        for (JsonNode c : priorTable.get("cells")) {
            if (c.get("model").asText().equals(model) && c.get("G").asInt() == 2) {
                mclust = c.get("loglik").asDouble();
            }
        }
        assertTrue(Double.isFinite(mclust), model);
        assertEquals(mclust, fitModelLogLikelihood(model, 2, model, "1e-11", "--prior", "default"),
                1e-6 * Math.abs(mclust));
    }

    @Test
    void aPriorThatIsNotKnownIsAUsageError() {
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "3", "--prior", "conjugate", "--output",
                dir.resolve("bad").toString());
        assertEquals(ExitCodes.USAGE, run.code(), run.text());
        assertTrue(run.text().contains("prior must be one of none, default, got 'conjugate'"), run.text());
    }
}
