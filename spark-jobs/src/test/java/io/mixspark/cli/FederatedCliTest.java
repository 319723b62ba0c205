package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mixspark federated} end to end on local Spark, on a generated table with a site column. */
class FederatedCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SITES = 6;
    private static final int ROWS_PER_SITE = 400;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
    }

    /** The generated rows: x1, x2 by site, with the site of every row. */
    record Table(String path, double[] values, String[] site) {
    }

    /**
     * Three components in 2-D shared by six hospitals h1..h6, each with its own mixing weights;
     * the rows of h6 are moved by {@code shift} in both coordinates.
     */
    private static Table table(Path dir, String name, double shift) {
        Mixture truth = new Mixture(CovarianceType.FULL, new double[] {0.4, 0.35, 0.25},
                new double[][] {{0, 0}, {5, 0}, {0, 5}},
                new double[][] {{1, 0.3, 0.3, 0.8}, {0.6, -0.2, -0.2, 1.2}, {0.9, 0, 0, 0.5}});
        double[][] siteWeights = {{0.6, 0.2, 0.2}, {0.2, 0.6, 0.2}, {0.2, 0.2, 0.6}, {0.34, 0.33, 0.33},
            {0.5, 0.4, 0.1}, {0.3, 0.3, 0.4}};
        Random random = new Random(17);
        List<Row> rows = new ArrayList<>();
        double[] values = new double[SITES * ROWS_PER_SITE * 2];
        String[] sites = new String[SITES * ROWS_PER_SITE];
        long id = 0;
        for (int s = 0; s < SITES; s++) {
            double[][] covs = new double[3][];
            for (int c = 0; c < 3; c++) {
                covs[c] = truth.covariance(c);
            }
            Mixture site = new Mixture(CovarianceType.FULL, siteWeights[s], truth.means(), covs);
            int[] labels = new int[ROWS_PER_SITE];
            double[] x = site.sample(ROWS_PER_SITE, random, labels);
            for (int i = 0; i < ROWS_PER_SITE; i++) {
                double x1 = x[2 * i] + (s == SITES - 1 ? shift : 0);
                double x2 = x[2 * i + 1] + (s == SITES - 1 ? shift : 0);
                values[(int) (2 * id)] = x1;
                values[(int) (2 * id + 1)] = x2;
                sites[(int) id] = "h" + (s + 1);
                rows.add(RowFactory.create(id++, "h" + (s + 1), x1, x2, labels[i]));
            }
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("hospital", DataTypes.StringType)
                .add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType).add("label", DataTypes.IntegerType);
        String path = dir.resolve(name).toString();
        spark.createDataFrame(rows, schema).repartition(2).write().parquet(path);
        return new Table(path, values, sites);
    }

    @Test
    void oneShotWritesTheModelPredictionsAndMetrics(@TempDir Path dir) throws Exception {
        Table t = table(dir, "sites.parquet", 0);
        String out = dir.resolve("one-shot").toString();
        assertEquals(0, MixSparkCli.run("federated", "--mode", "one-shot", "--input", t.path(), "--site-col",
                "hospital", "--label-col", "label", "--id-col", "id", "--k", "3", "--local-k-range", "1..4",
                "--rounds", "3", "--seed", "1", "--kernel", "java", "--output", out));

        JsonNode model = JSON.readTree(new File(out, "model.json"));
        for (String field : List.of("k", "d", "covarianceType", "features", "weights", "means", "covariances",
                "logLikelihood", "meanLogLikelihood", "iterations", "converged", "bic", "aic", "icl", "rows")) {
            assertTrue(model.has(field), "model.json lacks " + field);
        }
        assertEquals(List.of("x1", "x2"), JSON.convertValue(model.get("features"), List.class));
        assertEquals(SITES * ROWS_PER_SITE, model.get("rows").asLong());
        Mixture fitted = ModelJson.parse(Files.readString(Path.of(out, "model.json")), "model.json").mixture();
        assertEquals(3, fitted.k());
        assertEquals(fitted, MixSparkGaussianMixtureModel.load(out + "/model").mixture());
        SufficientStatistics check = InMemoryBlockData.of(t.values(), 2).aggregate(new ExpectationPass(fitted, "java"));
        assertEquals(check.meanLogLikelihood(), model.get("meanLogLikelihood").asDouble(), 1e-9,
                "model.json reports the model's own mean log-likelihood on all rows");

        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals("one-shot", metrics.get("mode").asText());
        assertEquals("one-shot", metrics.get("start").asText());
        assertEquals("column", metrics.get("sitesFrom").asText());
        JsonNode used = metrics.get("kernelsUsed");
        assertTrue(used != null && used.size() == 1 && used.path("java").asLong() > 0,
                "the rounds over the sites ran with --kernel java: " + used);
        JsonNode rounds = metrics.get("rounds");
        assertTrue(rounds.size() >= 1 && rounds.size() <= 4, "3 rounds and the evaluation of the last, at most");
        long roundBytes = 0;
        for (JsonNode r : rounds) {
            assertEquals(SITES, r.get("sites").asInt());
            assertEquals(r.get("bytesDown").asLong() + r.get("bytesUp").asLong(), r.get("bytes").asLong());
            assertTrue(r.get("meanLogLikelihood").isNumber());
            roundBytes += r.get("bytes").asLong();
        }
        // EM from the reduced mixture (evaluated in round 1) can only improve it.
        assertTrue(metrics.get("meanLogLikelihood").asDouble() >= rounds.get(0).get("meanLogLikelihood").asDouble()
                - 1e-12);
        long oneShotBytes = metrics.get("oneShotBytes").asLong();
        assertTrue(oneShotBytes > 0);
        assertEquals(oneShotBytes, metrics.get("oneShot").get("bytesUp").asLong());
        assertEquals(oneShotBytes + roundBytes, metrics.get("totalBytes").asLong());
        assertEquals(SITES, metrics.get("oneShot").get("sitesFitted").asInt());
        JsonNode sites = metrics.get("sites");
        assertEquals(SITES, sites.size());
        for (int s = 0; s < SITES; s++) {
            JsonNode site = sites.get(s);
            assertEquals("h" + (s + 1), site.get("site").asText());
            assertEquals(ROWS_PER_SITE, site.get("rows").asLong());
            int localK = site.get("localK").asInt();
            assertTrue(localK >= 1 && localK <= 4, "local k by BIC in 1..4, got " + localK);
        }

        List<Row> predictions = spark.read().parquet(out + "/predictions").collectAsList();
        assertEquals(List.of("id", "label", "site", "cluster", "probability"),
                List.of(spark.read().parquet(out + "/predictions").columns()));
        assertEquals(SITES * ROWS_PER_SITE, predictions.size());
        for (Row r : predictions) {
            assertEquals(t.site()[(int) r.getLong(0)], r.getString(2));
            List<Double> p = r.getList(4);
            assertEquals(1.0, p.stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
            assertEquals(p.indexOf(p.stream().max(Double::compare).orElseThrow()), r.getInt(3));
        }
    }

    @Test
    void personalizedModeGivesEverySiteItsWeightsAndFlagsTheShiftedSite(@TempDir Path dir) throws Exception {
        Table t = table(dir, "shifted.parquet", 3);
        String out = dir.resolve("personalized").toString();
        assertEquals(0, MixSparkCli.run("federated", "--mode", "personalized", "--input", t.path(), "--site-col",
                "hospital", "--id-col", "id", "--features", "x1,x2", "--k", "3", "--rounds", "30", "--tol", "1e-6",
                "--seed", "2", "--output", out));

        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        assertEquals("personalized", metrics.get("mode").asText());
        int components = metrics.get("components").asInt();
        Map<String, Double> novelty = new HashMap<>();
        Map<String, double[]> siteWeights = new HashMap<>();
        for (JsonNode site : metrics.get("sites")) {
            JsonNode w = site.get("weights");
            siteWeights.put(site.get("site").asText(), JSON.convertValue(w, double[].class));
            assertEquals(components, w.size());
            double sum = 0;
            for (JsonNode v : w) {
                assertTrue(v.asDouble() > 0);
                sum += v.asDouble();
            }
            assertEquals(1.0, sum, 1e-12);
            novelty.put(site.get("site").asText(), site.get("novelty").asDouble());
        }
        assertEquals(SITES, novelty.size());
        double others = novelty.entrySet().stream().filter(e -> !e.getKey().equals("h6"))
                .mapToDouble(Map.Entry::getValue).min().orElseThrow();
        assertTrue(novelty.get("h6") < others - 0.3, "the shifted site scores " + novelty.get("h6")
                + ", the lowest other site " + others);
        assertEquals("h6", metrics.get("personalized").get("mostNovelSite").asText());
        // Each row is scored with its own site's weights on the shared components.
        Mixture shared = ModelJson.parse(Files.readString(Path.of(out, "model.json")), "model.json").mixture();
        List<Row> predictions = spark.read().parquet(out + "/predictions").collectAsList();
        assertEquals(SITES * ROWS_PER_SITE, predictions.size());
        for (Row r : predictions.subList(0, 50)) {
            int id = (int) r.getLong(0);
            assertEquals(t.site()[id], r.getString(1));
            double[][] covs = new double[shared.k()][];
            for (int c = 0; c < shared.k(); c++) {
                covs[c] = shared.covariance(c);
            }
            Mixture own = new Mixture(shared.covarianceType(), siteWeights.get(r.getString(1)), shared.means(), covs);
            double[] expected = Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, own,
                    DataBlock.of(new double[] {t.values()[2 * id], t.values()[2 * id + 1]}, 2));
            List<Double> p = r.getList(3);
            for (int c = 0; c < shared.k(); c++) {
                assertEquals(expected[c], p.get(c), 1e-12, "row " + id + " component " + c);
            }
        }
    }

    @Test
    void privateEmSpendsTheRequestedEpsilonAndKeepsCovariancesPositiveDefinite(@TempDir Path dir)
            throws Exception {
        Table t = table(dir, "private.parquet", 0);
        String out = dir.resolve("private").toString();
        assertEquals(0, MixSparkCli.run("federated", "--mode", "em", "--input", t.path(), "--features", "x1,x2",
                "--k", "3", "--epsilon", "2", "--delta", "1e-5", "--clip", "10", "--rounds", "4", "--partitions", "3",
                "--seed", "3", "--output", out));

        JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
        JsonNode privacy = metrics.get("privacy");
        assertEquals(2.0, privacy.get("epsilon").asDouble(), 1e-9);
        assertEquals(1e-5, privacy.get("delta").asDouble(), 0);
        assertEquals(10.0, privacy.get("clip").asDouble(), 0);
        assertTrue(privacy.get("rho").asDouble() > 0 && privacy.get("noiseMultiplier").asDouble() > 0);
        assertEquals("random", metrics.get("start").asText());
        assertEquals(4, metrics.get("rounds").size());
        assertTrue(metrics.get("rounds").get(0).get("meanLogLikelihood").isNull(), "not released under privacy");

        JsonNode model = JSON.readTree(new File(out, "model.json"));
        for (JsonNode cov : model.get("covariances")) {
            double[][] m = JSON.convertValue(cov, double[][].class);
            assertTrue(positiveDefinite(m), "covariance " + cov + " is not positive definite");
        }

        // One site per partition: the predictions carry the same sites, with the same rows.
        assertEquals("partition", metrics.get("sitesFrom").asText());
        Map<String, Long> rowsBySite = new HashMap<>();
        metrics.get("sites").forEach(s -> rowsBySite.put(s.get("site").asText(), s.get("rows").asLong()));
        assertEquals(Set.of("0", "1", "2"), rowsBySite.keySet());
        Map<String, Long> predicted = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/predictions").groupBy("site").count().collectAsList()) {
            predicted.put(r.getString(0), r.getLong(1));
        }
        assertEquals(rowsBySite, predicted);
    }

    @Test
    void badOptionsAreUsageErrors() {
        String[] base = {"federated", "--input", "in.parquet", "--output", "out", "--k", "3", "--dry-run"};
        assertEquals(0, run(base, "--mode", "em", "--epsilon", "1", "--delta", "1e-5", "--clip", "5"));
        assertEquals(0, run(base, "--mode", "one-shot", "--local-max-iter", "20", "--local-n-init", "2"));
        List<String[]> bad = List.of(
                new String[] {"--mode", "em", "--epsilon", "1", "--clip", "5"},
                new String[] {"--mode", "em", "--epsilon", "1", "--delta", "1e-5", "--clip", "-1"},
                new String[] {"--mode", "em", "--epsilon", "1", "--delta", "1e-5"},
                new String[] {"--mode", "em", "--delta", "1e-5"},
                new String[] {"--mode", "em", "--epsilon", "-1", "--delta", "1e-5", "--clip", "5"},
                new String[] {"--mode", "personalized", "--epsilon", "1", "--delta", "1e-5", "--clip", "5"},
                new String[] {"--mode", "one-shot", "--covariance", "tied"},
                new String[] {"--mode", "one-shot", "--local-k", "2", "--local-k-range", "1..3"},
                new String[] {"--mode", "one-shot", "--local-k-range", "4..2"},
                new String[] {"--mode", "em", "--rounds", "0"},
                new String[] {"--mode", "one-shot", "--local-max-iter", "0"},
                new String[] {"--mode", "one-shot", "--local-n-init", "0"},
                new String[] {"--mode", "sideways"},
                new String[] {"--k", "3"});
        for (String[] extra : bad) {
            assertEquals(ExitCodes.USAGE, run(base, extra), String.join(" ", extra));
        }
    }

    private static int run(String[] base, String... extra) {
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return MixSparkCli.run(args);
    }

    /** Cholesky succeeds with positive pivots. */
    private static boolean positiveDefinite(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int p = 0; p < j; p++) {
                    sum -= l[i][p] * l[j][p];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        return false;
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return true;
    }
}
