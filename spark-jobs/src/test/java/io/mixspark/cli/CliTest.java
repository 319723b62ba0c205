package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.io.ModelJson;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.spark.SharedSpark;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on local Spark, on real files. */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;
    private static String iris;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
    }

    @Test
    void fitWritesModelPredictionsAndMetrics(@TempDir Path dir) throws Exception {
        String out = dir.resolve("fit").toString();
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "3", "--label-col", "species", "--seed", "1",
                "--n-init", "2", "--output", out));

        JsonNode model = JSON.readTree(new File(out, "model.json"));
        for (String field : List.of("k", "d", "covarianceType", "features", "weights", "means", "covariances",
                "logLikelihood", "meanLogLikelihood", "iterations", "converged", "bic", "aic", "icl")) {
            assertTrue(model.has(field), "model.json lacks " + field);
        }
        assertEquals(3, model.get("k").asInt());
        assertEquals(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"),
                JSON.convertValue(model.get("features"), List.class));
        assertEquals(4, model.get("covariances").get(0).size());
        assertEquals(4, model.get("covariances").get(0).get(0).size());

        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals(io.mixspark.gmm.Kernels.named("auto").name(), metrics.get("kernel").asText());
        assertEquals(150, metrics.get("rows").asLong());
        assertEquals(model.get("iterations").asInt(), metrics.get("history").size());
        assertTrue(metrics.get("totalSeconds").asDouble() > 0);
        assertEquals(2, metrics.get("restartMeanLogLikelihoods").size());

        Dataset<Row> predictions = spark.read().parquet(out + "/predictions");
        assertEquals(List.of("species", "cluster", "probability"), List.of(predictions.columns()));
        List<Row> rows = predictions.collectAsList();
        assertEquals(150, rows.size());
        int[] truth = rows.stream().mapToInt(r -> List.of("setosa", "versicolor", "virginica")
                .indexOf(r.getString(0))).toArray();
        int[] predicted = rows.stream().mapToInt(r -> r.getInt(1)).toArray();
        assertTrue(ClusteringMetrics.adjustedRandIndex(truth, predicted) > 0.85,
                "iris is well separated by a 3-component full mixture");
        for (Row r : rows) {
            List<Double> p = r.getList(2);
            assertEquals(1.0, p.stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        }
    }

    @Test
    void modelJsonAndSparkModelAgreeAndPredictReproducesFit(@TempDir Path dir) throws Exception {
        String fit = dir.resolve("fit").toString();
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "3", "--covariance", "diag",
                "--id-col", "species", "--output", fit, "--partitions", "3"));
        ModelJson.Named fromJson = ModelJson.parse(Files.readString(Path.of(fit, "model.json")), "model.json");
        MixSparkGaussianMixtureModel fromSpark = MixSparkGaussianMixtureModel.load(fit + "/model");
        assertEquals(fromSpark.mixture(), fromJson.mixture());

        String predicted = dir.resolve("predict").toString();
        assertEquals(0, MixSparkCli.run("predict", "--model", fit, "--input", iris, "--id-col", "species",
                "--output", predicted, "--partitions", "2"));
        List<Row> a = spark.read().parquet(fit + "/predictions").orderBy("species", "probability").collectAsList();
        List<Row> b = spark.read().parquet(predicted + "/predictions").orderBy("species", "probability")
                .collectAsList();
        assertEquals(a, b);

        // Features are matched by name: listing them in another order changes nothing.
        String permuted = dir.resolve("predict-permuted").toString();
        assertEquals(0, MixSparkCli.run("predict", "--model", fit, "--input", iris, "--id-col", "species",
                "--features", "petal_width_cm,sepal_length_cm,petal_length_cm,sepal_width_cm", "--output", permuted));
        List<Row> c = spark.read().parquet(permuted + "/predictions").orderBy("species", "probability")
                .collectAsList();
        assertEquals(a, c);
    }

    @Test
    void predictRefusesAModelOutputItsRunDidNotMarkComplete(@TempDir Path dir) throws Exception {
        Path fit = dir.resolve("fit");
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--output", fit.toString()));
        // As a run killed between moving its output into place and marking it leaves it.
        Files.delete(fit.resolve("_SUCCESS"));
        Files.createFile(fit.resolve("_RUN-0f6c8a4e-1b2c-4d5e-8f90-123456789abc"));
        for (String model : List.of(fit.toString(), fit.resolve("model.json").toString())) {
            CapturedRun run = CapturedRun.of("predict", "--model", model, "--input", iris, "--output",
                    dir.resolve("predict").toString());
            assertEquals(ExitCodes.IO, run.code(), run.text());
            assertTrue(run.text().contains(fit + " is an incomplete output"), run.text());
            assertTrue(run.text().contains("--overwrite"), run.text());
            assertTrue(!Files.exists(dir.resolve("predict")));
        }
        // An output of a build before the marker: read, with a warning.
        Files.delete(fit.resolve("_RUN-0f6c8a4e-1b2c-4d5e-8f90-123456789abc"));
        CapturedRun run = CapturedRun.of("predict", "--model", fit.toString(), "--input", iris, "--output",
                dir.resolve("predict").toString());
        assertEquals(0, run.code(), run.text());
        assertTrue(run.text().contains("warning: " + fit + " holds no _SUCCESS marker"), run.text());
        // A plain model.json beside other files is read without a word.
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        Files.copy(fit.resolve("model.json"), plain.resolve("model.json"));
        run = CapturedRun.of("predict", "--model", plain.resolve("model.json").toString(), "--input", iris,
                "--output", dir.resolve("predict-plain").toString());
        assertEquals(0, run.code(), run.text());
        assertTrue(!run.text().contains("warning:"), run.text());
    }

    @Test
    void generateThenSelectRecoversTheStructure(@TempDir Path dir) throws Exception {
        String data = dir.resolve("mix.parquet").toString();
        assertEquals(0, MixSparkCli.run("generate", "--n", "3000", "--d", "2", "--k", "3", "--separation", "6",
                "--seed", "3", "--partitions", "2", "--output", data));
        assertTrue(new File(data, "_truth.json").isFile());
        String out = dir.resolve("select").toString();
        assertEquals(0, MixSparkCli.run("select", "--input", data, "--label-col", "label", "--k", "2..4",
                "--covariance", "full,spherical", "--output", out));

        JsonNode selection = JSON.readTree(new File(out, "selection.json"));
        assertEquals(6, selection.get("candidates").size());
        assertEquals(3, selection.get("chosen").get("k").asInt());
        assertEquals("VVV", selection.get("chosen").get("covarianceType").asText());
        JsonNode used = JSON.readTree(new File(out, "metrics.json")).get("kernelsUsed");
        String kernel = io.mixspark.gmm.Kernels.named("auto").name();
        assertTrue(used != null && used.size() == 1 && used.path(kernel).asLong() > 0,
                "the grid's passes ran with " + kernel + ": " + used);
        List<Row> rows = spark.read().parquet(out + "/predictions").select("label", "cluster").collectAsList();
        int[] truth = rows.stream().mapToInt(r -> r.getInt(0)).toArray();
        int[] predicted = rows.stream().mapToInt(r -> r.getInt(1)).toArray();
        assertTrue(ClusteringMetrics.misclusteringRate(truth, predicted) < 0.05);
    }

    @Test
    void everyInputFormatGivesTheSameModel(@TempDir Path dir) throws Exception {
        Dataset<Row> table = spark.read().option("header", "true").option("inferSchema", "true").csv(iris)
                .drop("species");
        table.write().parquet(dir.resolve("iris.parquet").toString());
        table.write().orc(dir.resolve("iris.orc").toString());
        table.write().json(dir.resolve("iris.json").toString());
        table.coalesce(1).write().option("header", "true").csv(dir.resolve("iris-dir.csv").toString());
        JsonNode reference = null;
        for (String input : List.of(iris, "iris.parquet", "iris.orc", "iris.json", "iris-dir.csv")) {
            String path = input.startsWith("/") ? input : dir.resolve(input).toString();
            String out = dir.resolve("out-" + Paths.get(input).getFileName()).toString();
            assertEquals(0, MixSparkCli.run("fit", "--input", path, "--k", "2", "--seed", "9",
                    "--features", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm", "--output", out));
            JsonNode model = JSON.readTree(new File(out, "model.json"));
            if (reference == null) {
                reference = model;
            } else {
                assertEquals(reference.get("means"), model.get("means"), input);
            }
        }
    }

    @Test
    void libsvmInputUsesItsVectorColumn(@TempDir Path dir) throws Exception {
        Path svm = dir.resolve("points.libsvm");
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 200; i++) {
            int label = i % 2;
            text.append(label).append(" 1:").append(label * 8 + random.nextGaussian())
                    .append(" 2:").append(random.nextGaussian()).append('\n');
        }
        Files.writeString(svm, text);
        String out = dir.resolve("out").toString();
        assertEquals(0, MixSparkCli.run("fit", "--input", svm.toString(), "--k", "2", "--label-col", "label",
                "--output", out));
        JsonNode model = JSON.readTree(new File(out, "model.json"));
        assertEquals(List.of("f1", "f2"), JSON.convertValue(model.get("features"), List.class));
    }

    @Test
    void errorsHaveDocumentedExitCodesAndLeaveNoOutput(@TempDir Path dir) throws Exception {
        String out = dir.resolve("out").toString();
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("fit", "--input", iris, "--k", "0", "--output", out));
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--no-such-option",
                "--output", out));
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--covariance", "round",
                "--output", out));
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("select", "--input", iris, "--k", "3..x", "--output", out));
        assertEquals(ExitCodes.IO, MixSparkCli.run("fit", "--input", dir.resolve("missing.csv").toString(), "--k", "2",
                "--output", out));
        assertEquals(ExitCodes.INPUT_DATA, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--features",
                "species", "--output", out));
        assertEquals(ExitCodes.INPUT_DATA, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--features",
                "no_such_column", "--output", out));
        assertFalse(new File(out).exists(), "a failed run leaves no output");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "no staging left behind");
        }

        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--output", out));
        assertEquals(ExitCodes.IO, MixSparkCli.run("fit", "--input", iris, "--k", "3", "--output", out));
        assertEquals(2, JSON.readTree(new File(out, "model.json")).get("k").asInt(), "not overwritten");
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "3", "--output", out, "--overwrite"));
        assertEquals(3, JSON.readTree(new File(out, "model.json")).get("k").asInt());
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "2", "--output", out, "--dry-run"));
    }
}
