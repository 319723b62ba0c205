package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit --reg-covar auto} end to end: three clusters elongated along random directions in
 * d = 12 with 30 rows each, so a full covariance (78 parameters) rests on fewer rows than it has
 * parameters. model.json names the shrinkage, metrics.json gives each component's intensity.
 */
class RegCovarAutoCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int D = 12;
    private static final int PER_CLUSTER = 30;

    @TempDir
    static Path dir;
    private static Path csv;
    private static double[] rows;

    @BeforeAll
    static void start() throws Exception {
        SharedSpark.session();
        Random random = new Random(77);
        rows = new double[3 * PER_CLUSTER * D];
        StringBuilder text = new StringBuilder();
        for (int a = 0; a < D; a++) {
            text.append(a == 0 ? "" : ",").append("x").append(a);
        }
        text.append('\n');
        for (int c = 0; c < 3; c++) {
            double[] mean = new double[D];
            double[] direction = new double[D];
            double norm = 0;
            for (int a = 0; a < D; a++) {
                mean[a] = 4 * random.nextGaussian();
                direction[a] = random.nextGaussian();
                norm += direction[a] * direction[a];
            }
            for (int i = 0; i < PER_CLUSTER; i++) {
                double along = 5 * random.nextGaussian() / Math.sqrt(norm);
                for (int a = 0; a < D; a++) {
                    double v = mean[a] + random.nextGaussian() + along * direction[a];
                    rows[(c * PER_CLUSTER + i) * D + a] = v;
                    text.append(a == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", v));
                }
                text.append('\n');
            }
        }
        csv = dir.resolve("elongated.csv");
        Files.writeString(csv, text);
    }

    private static JsonNode read(Path out, String file) throws Exception {
        return JSON.readTree(out.resolve(file).toFile());
    }

    @Test
    void autoShrinksEachComponentAndSaysBy() throws Exception {
        Path out = dir.resolve("auto");
        CapturedRun run = CapturedRun.of("fit", "--input", csv.toString(), "--k", "3", "--reg-covar", "auto",
                "--seed", "3", "--output", out.toString());
        assertEquals(0, run.code(), run.text());
        JsonNode model = read(out, "model.json");
        assertEquals("oas", model.get("covarianceShrinkage").asText());
        JsonNode shrinkage = read(out, "metrics.json").get("covarianceShrinkage");
        assertEquals("oas", shrinkage.get("method").asText());
        assertEquals("spherical", shrinkage.get("target").asText());
        double[] reported = new double[shrinkage.get("intensities").size()];
        for (int c = 0; c < reported.length; c++) {
            reported[c] = shrinkage.get("intensities").get(c).asDouble();
            assertTrue(reported[c] > 0 && reported[c] < 1, "rho " + reported[c]);
        }
        // The intensities are those of the written model's responsibilities on the data.
        Mixture fitted = ModelJson.parse(Files.readString(out.resolve("model.json")), "model.json").mixture();
        assertEquals(3, fitted.k());
        var stats = InMemoryBlockData.of(rows, D).aggregate(new ExpectationPass(fitted, "java"));
        assertArrayEquals(MStep.intensities(stats, CovarianceType.FULL), reported, 1e-6);
    }

    @Test
    void aNumberKeepsTheFixedRidgeAndReportsNoShrinkage() throws Exception {
        Path out = dir.resolve("ridge");
        CapturedRun run = CapturedRun.of("fit", "--input", csv.toString(), "--k", "3", "--seed", "3", "--output",
                out.toString());
        assertEquals(0, run.code(), run.text());
        assertFalse(read(out, "model.json").has("covarianceShrinkage"));
        assertFalse(read(out, "metrics.json").has("covarianceShrinkage"));
    }

    @Test
    void selectShrinksEveryCandidate() throws Exception {
        Path out = dir.resolve("select");
        CapturedRun run = CapturedRun.of("select", "--input", csv.toString(), "--k", "2,3", "--covariance",
                "full,tied", "--reg-covar", "auto", "--seed", "3", "--output", out.toString());
        assertEquals(0, run.code(), run.text());
        assertEquals("oas", read(out, "model.json").get("covarianceShrinkage").asText());
        assertEquals(read(out, "model.json").get("k").asInt(),
                read(out, "metrics.json").get("covarianceShrinkage").get("intensities").size());
    }
}
