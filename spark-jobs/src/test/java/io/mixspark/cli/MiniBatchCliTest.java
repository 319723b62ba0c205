package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.io.ModelJson;
import io.mixspark.online.MiniBatchEm;
import io.mixspark.online.MiniBatchOptions;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fit --method minibatch} end to end on iris: the in-memory mini-batch fit, and metrics.json says how. */
class MiniBatchCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void spark() {
        SharedSpark.session();
    }

    private static double[] irisValues() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "data", "iris.csv")).stream()
                .filter(l -> !l.isBlank()).toList();
        double[] out = new double[(lines.size() - 1) * 4];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int a = 0; a < 4; a++) {
                out[(i - 1) * 4 + a] = Double.parseDouble(cells[a]);
            }
        }
        return out;
    }

    @Test
    void miniBatchFitMatchesTheInMemoryFitAndReportsItsPasses() throws Exception {
        String out = dir.resolve("fit").toString();
        CapturedRun run = CapturedRun.of("fit", "--input", "../data/iris.csv", "--label-col", "species", "--k", "3",
                "--covariance", "diag", "--kernel", "java", "--block-size", "10", "--method", "minibatch",
                "--batch-rows", "30", "--passes", "3", "--finish-iterations", "2", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("in 3 mini-batch passes and 2 EM iterations"), run.text());

        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals("minibatch", metrics.get("method").asText());
        assertEquals(3, metrics.get("passes").asInt());
        assertEquals(30, metrics.get("batchRows").asLong());
        assertEquals(2, metrics.get("finishIterations").asInt());
        assertEquals(5, metrics.get("history").size());

        EmOptions options = EmOptions.builder(3, CovarianceType.DIAG).kernel("java").build();
        EmResult local = MiniBatchEm.fit(InMemoryBlockData.of(irisValues(), null, 4, 10), options,
                MiniBatchOptions.of(30, 3, 2), FitListener.NONE);
        Mixture fitted = ModelJson.parse(Files.readString(Path.of(out, "model.json")), "model.json").mixture();
        assertEquals(local.meanLogLikelihood(), metrics.get("meanLogLikelihood").asDouble(), 1e-9);
        for (int c = 0; c < 3; c++) {
            assertEquals(local.model().weight(c), fitted.weight(c), 1e-9);
            assertArrayEquals(local.model().mean(c), fitted.mean(c), 1e-9);
        }
    }

    @Test
    void batchEmSaysSoInItsMetrics() throws Exception {
        String out = dir.resolve("em").toString();
        CapturedRun run = CapturedRun.of("fit", "--input", "../data/iris.csv", "--label-col", "species", "--k", "2",
                "--kernel", "java", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals("em", metrics.get("method").asText());
        assertTrue(metrics.get("passes") == null);
    }

    /**
     * Without mini-batch options a table smaller than a step is fitted as batch EM fits it: every
     * step covers the whole table, and the finishing iterations stop at batch EM's convergence test.
     */
    @Test
    void defaultsOnASmallTableGiveBatchEmsAnswer() throws Exception {
        double[] fits = new double[2];
        String[] methods = {"em", "minibatch"};
        for (int m = 0; m < 2; m++) {
            String out = dir.resolve("defaults-" + methods[m]).toString();
            CapturedRun run = CapturedRun.of("fit", "--input", "../data/iris.csv", "--label-col", "species", "--k",
                    "3", "--covariance", "full", "--kernel", "java", "--method", methods[m], "--output", out);
            assertEquals(ExitCodes.OK, run.code(), run.text());
            fits[m] = JSON.readTree(new File(out, "metrics.json")).get("meanLogLikelihood").asDouble();
        }
        assertTrue(fits[0] - fits[1] < 0.01, "mini-batch " + fits[1] + " vs batch EM " + fits[0]);
    }
}
