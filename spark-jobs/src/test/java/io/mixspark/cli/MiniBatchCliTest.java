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
import io.mixspark.testing.Fixtures;
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
        assertEquals("stochastic", metrics.get("update").asText());
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
    /**
     * {@code --update incremental} reaches the fit: 30-row groups of 10-row blocks (5 or more groups on
     * iris), from scikit-learn's start and block-order seed 11, end within 0.01 nats of batch EM from
     * the same start, as stochastic steps on such small groups do not. An end-to-end check of the
     * plumbing on one case that IncrementalEmTest covers; the statistical claim is that test's.
     */
    @Test
    void incrementalStepsEndWithinAHundredthOfANatOfBatchEm() throws Exception {
        String csv = "../algorithms/src/test/resources/datasets/iris.csv";
        List<String> features = List.of(Files.readAllLines(Path.of(csv)).get(0).split(",")).subList(0, 4);
        Mixture start = Fixtures.mixture(Fixtures.json("reference/em_iris.json").get("cases").get("full")
                .get("initial"), CovarianceType.FULL);
        Path startModel = dir.resolve("sklearn-start.json");
        Files.writeString(startModel, ModelJson.toJson(start, features, null));
        String[] common = {"fit", "--input", csv, "--label-col", "label", "--k", "3", "--covariance", "full",
                "--kernel", "java", "--block-size", "10", "--seed", "11", "--init-model", startModel.toString()};
        String batchOut = dir.resolve("incremental-em").toString();
        CapturedRun batch = CapturedRun.of(concat(common, "--output", batchOut));
        assertEquals(ExitCodes.OK, batch.code(), batch.text());
        String miniOut = dir.resolve("incremental").toString();
        CapturedRun mini = CapturedRun.of(concat(common, "--method", "minibatch", "--update", "incremental",
                "--batch-rows", "30", "--passes", "3", "--output", miniOut));
        assertEquals(ExitCodes.OK, mini.code(), mini.text());

        JsonNode metrics = JSON.readTree(new File(miniOut, "metrics.json"));
        assertEquals("incremental", metrics.get("update").asText());
        double gap = JSON.readTree(new File(batchOut, "metrics.json")).get("meanLogLikelihood").asDouble()
                - metrics.get("meanLogLikelihood").asDouble();
        assertTrue(gap < 0.01, "incremental ends " + gap + " nats short of batch EM");
    }

    /** Too many groups for incremental EM's memory is a usage error that says which options fix it. */
    @Test
    void incrementalStepsOverTooManyGroupsAreAUsageError() throws Exception {
        // 120 rows of d = 120 in one-row groups: 120 groups x 20 components x d^2 doubles is about 266 MiB
        Path wide = dir.resolve("wide.csv");
        java.util.Random random = new java.util.Random(3);
        StringBuilder text = new StringBuilder();
        for (int row = -1; row < 120; row++) {
            for (int a = 0; a < 120; a++) {
                text.append(a == 0 ? "" : ",").append(row < 0 ? "x" + a : String.valueOf(random.nextInt(100)));
            }
            text.append('\n');
        }
        Files.writeString(wide, text);
        CapturedRun run = CapturedRun.of("fit", "--input", wide.toString(), "--k", "20", "--kernel", "java",
                "--block-size", "1", "--method", "minibatch", "--update", "incremental", "--batch-rows", "1",
                "--output", dir.resolve("wide").toString());
        assertEquals(ExitCodes.USAGE, run.code(), run.text());
        assertTrue(run.text().contains("--update incremental would keep 265 MiB of statistics for 120 groups"),
                run.text());
        assertTrue(run.text().contains("--batch-rows (about 2 or more), or --update stochastic"), run.text());
    }

    private static String[] concat(String[] first, String... more) {
        String[] out = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, out, first.length, more.length);
        return out;
    }
}
