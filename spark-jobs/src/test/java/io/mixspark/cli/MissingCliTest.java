package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.MissingValues;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.Scoring;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --missing} and {@code predict --impute} end to end, on a CSV file with empty cells. */
class MissingCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FEATURES = List.of("a", "b", "c");
    private static final int D = FEATURES.size();
    private static final int ROWS = 300;

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static String csv;
    /** The table's features, NaN where a cell is empty; row i has id i. */
    private static double[] values;
    /** Rows with every cell empty. */
    private static long allMissing;

    @BeforeAll
    static void writeTable() throws Exception {
        spark = SharedSpark.session();
        Mixture truth = RandomMixtures.draw(2, D, CovarianceType.FULL, 4, new Random(21));
        values = truth.sample(ROWS, new Random(22), null);
        Random holes = new Random(23);
        for (int i = 0; i < values.length; i++) {
            if (i >= D && holes.nextDouble() < 0.15) {
                values[i] = Double.NaN;
            }
        }
        Arrays.fill(values, 7 * D, 8 * D, Double.NaN);
        for (int i = 0; i < ROWS; i++) {
            allMissing += Arrays.stream(values, i * D, i * D + D).allMatch(Double::isNaN) ? 1 : 0;
        }
        StringBuilder text = new StringBuilder("id,a,b,c\n");
        for (int i = 0; i < ROWS; i++) {
            text.append(i);
            for (int a = 0; a < D; a++) {
                double x = values[i * D + a];
                text.append(',').append(Double.isNaN(x) ? "" : Double.toString(x));
            }
            text.append('\n');
        }
        csv = dir.resolve("holes.csv").toString();
        Files.writeString(Path.of(csv), text.toString());
    }

    @Test
    void fitWithMissingEmWritesWhereValuesWereMissingAndPredictImputesThem() throws Exception {
        String fit = dir.resolve("fit").toString();
        CapturedRun run = run("fit", "--input", csv, "--id-col", "id", "--k", "2", "--seed", "3", "--missing", "em",
                "--output", fit);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("warning: " + allMissing + " rows have no observed feature value and were left out"
                + " of the fit"), run.text());

        JsonNode metrics = JSON.readTree(new File(fit, "metrics.json"));
        long withMissing = 0;
        int[] missingPerColumn = new int[D];
        java.util.Set<String> patterns = new java.util.HashSet<>();
        for (int i = 0; i < ROWS; i++) {
            StringBuilder pattern = new StringBuilder();
            for (int a = 0; a < D; a++) {
                boolean missing = Double.isNaN(values[i * D + a]);
                missingPerColumn[a] += missing ? 1 : 0;
                pattern.append(missing ? 'm' : 'o');
            }
            if (pattern.indexOf("m") >= 0) {
                withMissing++;
                patterns.add(pattern.toString());
            }
        }
        assertEquals(withMissing, metrics.get("rowsWithMissing").asLong());
        assertEquals(allMissing, metrics.get("rowsAllMissing").asLong());
        assertEquals(patterns.size(), metrics.get("patterns").asInt());
        assertEquals(ROWS - allMissing, metrics.get("rows").asLong());
        for (int a = 0; a < D; a++) {
            assertEquals((double) missingPerColumn[a] / ROWS, metrics.get("missingShare").get(FEATURES.get(a))
                    .asDouble(), 1e-15);
        }

        String predicted = dir.resolve("predict").toString();
        run = run("predict", "--model", fit, "--input", csv, "--id-col", "id", "--missing", "em", "--impute",
                "--output", predicted);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        Mixture model = ModelJson.parse(Files.readString(Path.of(fit, "model.json")), "model.json").mixture();
        List<Row> rows = spark.read().parquet(predicted + "/predictions").collectAsList();
        assertEquals(List.of("id", "cluster", "probability", "a_imputed", "b_imputed", "c_imputed"),
                List.of(spark.read().parquet(predicted + "/predictions").columns()));
        assertEquals(ROWS, rows.size());
        for (Row r : rows) {
            int i = r.getInt(0);
            DataBlock row = DataBlock.of(Arrays.copyOfRange(values, i * D, i * D + D), D);
            double[] probability = r.getList(2).stream().mapToDouble(v -> (Double) v).toArray();
            assertArrayEquals(Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, model, row), probability, 1e-12);
            double[] imputed = {r.getDouble(3), r.getDouble(4), r.getDouble(5)};
            assertArrayEquals(MissingValues.impute(JavaLikelihoodKernel.INSTANCE, row, model), imputed, 1e-12,
                    "row " + i);
        }
    }

    @Test
    void withoutMissingTheFileFailsAsBeforeNamingTheFirstEmptyCell() {
        int first = 0;
        while (Arrays.stream(values, first * D, first * D + D).noneMatch(Double::isNaN)) {
            first++;
        }
        int column = 0;
        while (!Double.isNaN(values[first * D + column])) {
            column++;
        }
        String out = dir.resolve("refused").toString();
        CapturedRun run = run("fit", "--input", csv, "--id-col", "id", "--k", "2", "--output", out);
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("column '" + FEATURES.get(column) + "' is missing at line " + (first + 2)
                + " of file"), run.text());
        assertTrue(run.text().contains("fix the data or pass --invalid skip to leave such rows out"), run.text());
        assertFalse(new File(out).exists());

        run = run("fit", "--input", csv, "--id-col", "id", "--k", "2", "--missing", "error", "--output", out);
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("pass --missing skip to leave such rows out, or --missing em to keep them"),
                run.text());
    }

    @Test
    void missingSkipLeavesTheRowsOut() throws Exception {
        long complete = 0;
        for (int i = 0; i < ROWS; i++) {
            complete += Arrays.stream(values, i * D, i * D + D).noneMatch(Double::isNaN) ? 1 : 0;
        }
        String out = dir.resolve("skipped").toString();
        CapturedRun run = run("fit", "--input", csv, "--id-col", "id", "--k", "2", "--missing", "skip", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains((ROWS - complete) + " of " + ROWS + " rows have missing or NaN features and were"
                + " skipped"), run.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals(complete, metrics.get("rows").asLong());
        assertEquals(ROWS - complete, metrics.get("skippedRows").asLong());
        assertFalse(metrics.has("rowsWithMissing"));
    }

    @Test
    void selectKeepsMissingValuesToo() throws Exception {
        String out = dir.resolve("select").toString();
        CapturedRun run = run("select", "--input", csv, "--id-col", "id", "--k", "1..2", "--covariance", "diag",
                "--missing", "em", "--output", out);
        assertEquals(ExitCodes.OK, run.code(), run.text());
        assertTrue(run.text().contains("warning: " + allMissing + " rows have no observed feature value and were left out"
                + " of the fits"), run.text());
        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals(ROWS - allMissing, metrics.get("rows").asLong());
        assertEquals(allMissing, metrics.get("rowsAllMissing").asLong());
    }

    @Test
    void imputeNeedsMissingEm() {
        CapturedRun run = run("predict", "--model", "model.json", "--input", csv, "--impute", "--output",
                dir.resolve("no-impute").toString());
        assertEquals(ExitCodes.USAGE, run.code(), run.text());
        assertTrue(run.text().contains("--impute needs --missing em"), run.text());
    }

    private static CapturedRun run(String... args) {
        return CapturedRun.of(args);
    }
}
