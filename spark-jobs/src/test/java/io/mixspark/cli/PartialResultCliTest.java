package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grid candidates and sites that cannot be fitted: the outputs list them and the exit code says
 * the result is partial (6, or 0 with a warning under --allow-partial); and one-shot fits over
 * sites too small for a local fit of k components.
 */
class PartialResultCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ERRORS = Path.of("src/test/resources/errors").toAbsolutePath();

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void aGridWithCandidatesThatFailIsPartial(@TempDir Path dir) throws Exception {
        String input = ERRORS.resolve("two-distinct.csv").toString();
        String out = dir.resolve("strict").toString();
        CapturedRun strict = CapturedRun.of("select", "--input", input, "--k", "1..3", "--covariance", "diag",
                "--kernel", "java", "--output", out);

        assertEquals(ExitCodes.PARTIAL, strict.code(), strict.text());
        assertTrue(strict.text().contains("error: partial result: 1 of 3 candidates of the grid could not be fitted"),
                strict.text());
        JsonNode selection = JSON.readTree(new File(out, "selection.json"));
        assertTrue(selection.get("partial").asBoolean());
        JsonNode failed = selection.get("failed");
        assertEquals(1, failed.size());
        assertEquals(3, failed.get(0).get("k").asInt());
        assertEquals("VVI", failed.get(0).get("covarianceType").asText());
        assertTrue(failed.get(0).get("reason").asText().contains("found only 2 distinct rows"), failed.toString());
        assertEquals(2, selection.get("candidates").size());
        assertTrue(new File(out, "model.json").isFile() && new File(out, "metrics.json").isFile());

        String allowed = dir.resolve("allowed").toString();
        CapturedRun lenient = CapturedRun.of("select", "--input", input, "--k", "1..3", "--covariance", "diag",
                "--kernel", "java", "--allow-partial", "--output", allowed);
        assertEquals(ExitCodes.OK, lenient.code(), lenient.text());
        assertTrue(lenient.text().contains("warning: partial result: 1 of 3 candidates"), lenient.text());
        assertFalse(lenient.text().contains("error:"), lenient.text());
        assertEquals(failed, JSON.readTree(new File(allowed, "selection.json")).get("failed"));
    }

    @Test
    void aGridWhoseEveryCandidateFailsIsAPlainFailure(@TempDir Path dir) {
        String data = dir.resolve("data-too-few").toString();
        CapturedRun run = CapturedRun.of("select", "--input", ERRORS.resolve("two-distinct.csv").toString(), "--k",
                "3..4", "--covariance", "diag", "--kernel", "java", "--allow-partial", "--output", data);
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("error: no candidate of the grid could be fitted"), run.text());
        assertFalse(new File(data).exists());

        String numerical = dir.resolve("numerical").toString();
        run = CapturedRun.of("select", "--input", ERRORS.resolve("collinear.csv").toString(), "--k", "1",
                "--covariance", "full", "--reg-covar", "0", "--kernel", "java", "--output", numerical);
        assertEquals(ExitCodes.NUMERICAL, run.code(), run.text());
        assertFalse(new File(numerical).exists());
    }

    @Test
    void aOneShotFitWithoutASiteThatFailedIsPartial(@TempDir Path dir) throws Exception {
        String input = ERRORS.resolve("site-identical-rows.csv").toString();
        String out = dir.resolve("strict").toString();
        CapturedRun strict = CapturedRun.of("federated", "--mode", "one-shot", "--input", input, "--site-col", "site",
                "--k", "1", "--kernel", "java", "--output", out);

        assertEquals(ExitCodes.PARTIAL, strict.code(), strict.text());
        assertTrue(strict.text().contains("warning: site 'c' could not be fitted and was dropped"), strict.text());
        assertTrue(strict.text().contains("error: partial result: 1 of 3 sites could not be fitted"), strict.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertTrue(metrics.get("partial").asBoolean());
        JsonNode dropped = metrics.get("droppedSites");
        assertEquals(1, dropped.size());
        assertEquals("c", dropped.get(0).get("site").asText());
        assertEquals(12, dropped.get(0).get("rows").asInt());
        assertTrue(dropped.get(0).get("reason").asText().contains("distinct rows"), dropped.toString());
        assertEquals(2, metrics.get("oneShot").get("sitesFitted").asInt());
        assertTrue(new File(out, "model.json").isFile());

        String allowed = dir.resolve("allowed").toString();
        CapturedRun lenient = CapturedRun.of("federated", "--mode", "one-shot", "--input", input, "--site-col", "site",
                "--k", "1", "--kernel", "java", "--allow-partial", "--output", allowed);
        assertEquals(ExitCodes.OK, lenient.code(), lenient.text());
        assertTrue(lenient.text().contains("warning: partial result: 1 of 3 sites"), lenient.text());
        assertEquals(dropped, JSON.readTree(new File(allowed, "metrics.json")).get("droppedSites"));

        // Rounds read every site's rows: the failed local fit only left the start without site c.
        String rounds = dir.resolve("rounds").toString();
        CapturedRun withRounds = CapturedRun.of("federated", "--mode", "one-shot", "--input", input, "--site-col",
                "site", "--k", "1", "--rounds", "2", "--kernel", "java", "--output", rounds);
        assertEquals(ExitCodes.OK, withRounds.code(), withRounds.text());
        JsonNode roundMetrics = JSON.readTree(new File(rounds, "metrics.json"));
        assertFalse(roundMetrics.get("partial").asBoolean());
        assertEquals(dropped, roundMetrics.get("droppedSites"));
        assertEquals(72, roundMetrics.get("rows").asInt());
    }

    @Test
    void localCandidatesThatFailAreListedWithTheirSite(@TempDir Path dir) throws Exception {
        String out = dir.resolve("by-bic").toString();
        CapturedRun run = CapturedRun.of("federated", "--mode", "one-shot", "--input",
                ERRORS.resolve("site-identical-rows.csv").toString(), "--site-col", "site", "--k", "1",
                "--local-k-range", "1..2", "--kernel", "java", "--output", out);

        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("warning: site 'c': model selection could not fit k=2, VVV (full)"), run.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertFalse(metrics.get("partial").asBoolean());
        assertEquals(0, metrics.get("droppedSites").size());
        JsonNode c = metrics.get("sites").get(2);
        assertEquals("c", c.get("site").asText());
        assertEquals(1, c.get("localK").asInt());
        assertEquals(1, c.get("failedLocalK").size());
        assertTrue(c.get("failedLocalK").get(0).asText().startsWith("k=2, VVV (full): found only 1 distinct rows"),
                c.toString());
    }

    @Test
    void aThousandSitesOfThreeRowsGiveAGoodModel(@TempDir Path dir) throws Exception {
        Mixture truth = new Mixture(CovarianceType.FULL, new double[] {0.5, 0.3, 0.2},
                new double[][] {{0, 0}, {6, 0}, {0, 6}},
                new double[][] {{1, 0.3, 0.3, 0.8}, {0.7, -0.2, -0.2, 1.2}, {0.9, 0, 0, 0.6}});
        int rows = 3000;
        int[] labels = new int[rows];
        double[] values = truth.sample(rows, new Random(8), labels);
        StringBuilder csv = new StringBuilder("id,site,label,x,y\n");
        for (int i = 0; i < rows; i++) {
            csv.append(String.format(Locale.ROOT, "%d,s%d,%d,%.6f,%.6f%n", i, i / 3, labels[i], values[2 * i],
                    values[2 * i + 1]));
        }
        Path input = dir.resolve("tiny-sites.csv");
        Files.writeString(input, csv);
        String out = dir.resolve("out").toString();

        CapturedRun run = CapturedRun.of("federated", "--mode", "one-shot", "--input", input.toString(), "--site-col",
                "site", "--id-col", "id", "--label-col", "label", "--k", "3", "--seed", "1", "--kernel", "java",
                "--output", out);

        assertEquals(ExitCodes.OK, run.code(), run.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        double plain = EmFitter.fit(InMemoryBlockData.of(values, 2), EmOptions.builder(3, CovarianceType.FULL)
                .kernel("java").seed(1).build(), FitListener.NONE).meanLogLikelihood();
        double federated = metrics.get("meanLogLikelihood").asDouble();
        assertTrue(plain - federated < 0.01, "federated mean log-likelihood " + federated + ", plain fit " + plain);
        assertTrue(adjustedRandIndex(out) > 0.95, "adjusted Rand index " + adjustedRandIndex(out));

        assertTrue(run.text().contains("warning: 1000 of 1000 sites have fewer than k (d + 1) = 9 rows"), run.text());
        JsonNode small = metrics.get("smallSites");
        assertEquals(1000, small.get("count").asInt());
        assertEquals(3000, small.get("rows").asInt());
        assertEquals(9, small.get("minRows").asInt());
        assertEquals("pooled", small.get("action").asText());
        assertEquals(36, small.get("targetRows").asInt(), "4k (d + 1)");
        assertEquals(3000 / 36, small.get("pseudoSites").asInt());
        assertEquals(3000 / 36, metrics.get("oneShot").get("sitesFitted").asInt());
        JsonNode first = metrics.get("sites").get(0);
        assertEquals("s0", first.get("site").asText());
        assertTrue(first.get("pooledInto").asText().startsWith("pooled:s0.."), first.toString());
    }

    private static double adjustedRandIndex(String out) throws IOException {
        List<Row> predictions = SharedSpark.session().read().parquet(out + "/predictions").orderBy("id")
                .select("label", "cluster").collectAsList();
        int[] truth = predictions.stream().mapToInt(r -> r.getInt(0)).toArray();
        int[] predicted = predictions.stream().mapToInt(r -> r.getInt(1)).toArray();
        return ClusteringMetrics.adjustedRandIndex(truth, predicted);
    }
}
