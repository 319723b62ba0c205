package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mixspark sdp} and {@code fit --init sdp} end to end on generated files. */
class SdpCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;
    @TempDir
    static Path shared;
    private static String data;

    @BeforeAll
    static void generate() {
        spark = SharedSpark.session();
        data = shared.resolve("data.csv").toString();
        assertEquals(0, MixSparkCli.run("generate", "--n", "3000", "--d", "3", "--k", "3", "--separation", "8",
                "--seed", "4", "--partitions", "3", "--output", data));
    }

    /** Adjusted Rand index of the written clusters against the generator's labels. */
    private static double ari(String out) {
        List<Row> rows = spark.read().parquet(out + "/predictions").select("label", "cluster").collectAsList();
        int[] truth = rows.stream().mapToInt(r -> ((Number) r.get(0)).intValue()).toArray();
        int[] predicted = rows.stream().mapToInt(r -> r.getInt(1)).toArray();
        return ClusteringMetrics.adjustedRandIndex(truth, predicted);
    }

    @Test
    void burerMonteiroAndSketchWriteTheFitOutputs(@TempDir Path dir) throws Exception {
        for (String solver : List.of("sketch", "burer-monteiro")) {
            String out = dir.resolve(solver).toString();
            assertEquals(0, MixSparkCli.run("sdp", "--input", data, "--label-col", "label", "--k", "3",
                    "--solver", solver, "--sketch-size", "300", "--seed", "2", "--output", out), solver);
            JsonNode model = JSON.readTree(new File(out, "model.json"));
            assertEquals(3, model.get("k").asInt());
            assertEquals("VII", model.get("covarianceType").asText());
            JsonNode metrics = JSON.readTree(new File(out, "metrics.json"));
            assertEquals("sdp", metrics.get("command").asText());
            assertEquals(solver, metrics.get("sdp").get("solver").asText());
            assertEquals(3000, metrics.get("rows").asLong());
            JsonNode used = metrics.get("kernelsUsed");
            String kernel = io.mixspark.gmm.Kernels.named("auto").name();
            assertTrue(used != null && used.size() == 1 && used.path(kernel).asLong() > 0,
                    solver + ": the passes ran with " + kernel + ": " + used);
            assertTrue(ari(out) > 0.95, solver + ": ARI " + ari(out));
            // The sketch's certificate covers its sampled rows only, under its own names.
            JsonNode sdp = metrics.get("sdp");
            assertTrue(sdp.get("sketchDualBound").asDouble() <= sdp.get("sketchPartitionCost").asDouble(), solver);
            assertTrue(sdp.get("sketchCertifiedOptimal").isBoolean(), solver);
            assertFalse(sdp.has("dualBound"), solver);
            if (solver.equals("burer-monteiro")) {
                assertTrue(metrics.get("sdp").get("iterations").asInt() > 0);
                assertEquals(3000, sum(metrics.get("sdp").get("clusterSizes")));
            }
        }
    }

    private static long sum(JsonNode array) {
        long total = 0;
        for (JsonNode v : array) {
            total += v.asLong();
        }
        return total;
    }

    @Test
    void denseSolveReportsItsCertificateOfOptimality(@TempDir Path dir) throws Exception {
        String separated = dir.resolve("separated.csv").toString();
        assertEquals(0, MixSparkCli.run("generate", "--n", "150", "--d", "3", "--k", "3", "--separation", "30",
                "--seed", "4", "--output", separated));
        String out = dir.resolve("dense").toString();
        assertEquals(0, MixSparkCli.run("sdp", "--input", separated, "--label-col", "label", "--k", "3",
                "--method", "kmeans-sdp", "--solver", "dense", "--output", out));
        JsonNode sdp = JSON.readTree(new File(out, "metrics.json")).get("sdp");
        assertTrue(sdp.get("primalObjective").isDouble(), sdp.toString());
        double bound = sdp.get("dualBound").asDouble();
        double cost = sdp.get("partitionCost").asDouble();
        assertTrue(bound > 0 && bound <= cost, sdp.toString());
        assertTrue(sdp.get("relativeGap").asDouble() <= 1e-6, sdp.toString());
        assertTrue(sdp.get("certifiedOptimal").asBoolean(), sdp.toString());
        assertEquals(1.0, ari(out), 1e-12);
    }

    @Test
    void ilaSdpReportsItsStartsAndEachClustersShrinkage(@TempDir Path dir) throws Exception {
        String out = dir.resolve("ila").toString();
        assertEquals(0, MixSparkCli.run("sdp", "--input", data, "--label-col", "label", "--k", "3",
                "--method", "ila-sdp", "--solver", "sketch", "--sketch-size", "120", "--seed", "2", "--output", out));
        JsonNode sdp = JSON.readTree(new File(out, "metrics.json")).get("sdp");
        List<String> starts = new java.util.ArrayList<>();
        int rounded = 0;
        for (JsonNode start : sdp.get("starts")) {
            starts.add(start.get("name").asText());
            rounded += start.get("rounds").asInt() >= 1 ? 1 : 0;
            assertTrue(start.get("seconds").asDouble() >= 0, sdp.toString());
            assertTrue(start.get("heldOut").isNumber() && start.get("startObjective").isNumber(), sdp.toString());
        }
        assertEquals(List.of("kmeans-sdp", "em", "em-ridge", "random-1", "random-2"), starts);
        assertEquals(1, rounded, "one start runs the SDP rounds: " + sdp);
        assertTrue(starts.contains(sdp.get("winningStart").asText()), sdp.toString());
        double winner = Double.NaN;
        for (JsonNode start : sdp.get("starts")) {
            if (start.get("name").asText().equals(sdp.get("winningStart").asText())) {
                winner = start.get("objective").asDouble();
            }
        }
        assertEquals(winner, sdp.get("objective").asDouble(), 0.0);
        JsonNode shrinkage = sdp.get("shrinkage");
        assertEquals(3, shrinkage.size(), sdp.toString());
        for (int c = 0; c < 3; c++) {
            JsonNode cluster = shrinkage.get(c);
            assertEquals(c, cluster.get("cluster").asInt());
            assertEquals("oas", cluster.get("rule").asText());
            assertEquals("scaled-identity", cluster.get("target").asText());
            double intensity = cluster.get("intensity").asDouble();
            assertTrue(intensity >= 0 && intensity <= 1, cluster.toString());
        }
        assertTrue(ari(out) > 0.95, "ARI " + ari(out));
    }

    @Test
    void ilaOptionsReachTheFit(@TempDir Path dir) throws Exception {
        String out = dir.resolve("ila").toString();
        assertEquals(0, MixSparkCli.run("sdp", "--input", data, "--label-col", "label", "--k", "3",
                "--method", "ila-sdp", "--solver", "sketch", "--sketch-size", "120", "--seed", "2",
                "--ila-random-starts", "0", "--ila-round-starts", "2", "--ila-max-rounds", "3", "--output", out));
        JsonNode sdp = JSON.readTree(new File(out, "metrics.json")).get("sdp");
        List<String> starts = new java.util.ArrayList<>();
        int rounded = 0;
        for (JsonNode start : sdp.get("starts")) {
            starts.add(start.get("name").asText());
            int rounds = start.get("rounds").asInt();
            assertTrue(rounds <= 3, "--ila-max-rounds 3: " + sdp);
            rounded += rounds >= 1 ? 1 : 0;
        }
        assertEquals(List.of("kmeans-sdp", "em", "em-ridge"), starts, sdp.toString());
        assertEquals(2, rounded, "two starts run the SDP rounds: " + sdp);
    }

    @Test
    void generateDrawsAShapeFamily(@TempDir Path dir) throws Exception {
        String out = dir.resolve("mixed4.parquet").toString();
        assertEquals(0, MixSparkCli.run("generate", "--n", "400", "--family", "mixed4", "--seed", "3", "--output",
                out));
        JsonNode truth = JSON.readTree(new File(out, "_truth.json"));
        assertEquals(4, truth.get("k").asInt());
        io.mixspark.gmm.Mixture family = io.mixspark.gmm.ShapeFamily.MIXED4.truth(3);
        assertEquals(family.mean(2)[5], truth.get("means").get(2).get(5).asDouble(), 1e-12);
        var rows = spark.read().parquet(out);
        assertEquals(400, rows.count());
        assertEquals(13, rows.columns().length, List.of(rows.columns()).toString());
    }

    /** Seed 21 of the elongated-compact family: the small-EM start was chosen on seeds 1-10. */
    @Test
    void emFromSmallEmStartsSeparatesAnElongatedFromACompactCluster(@TempDir Path dir) throws Exception {
        String rows = dir.resolve("rows.parquet").toString();
        assertEquals(0, MixSparkCli.run("generate", "--n", "400", "--family", "elongated-compact", "--seed", "21",
                "--output", rows));
        double[] ari = new double[2];
        String[] inits = {"small-em", "auto"};
        for (int i = 0; i < 2; i++) {
            String out = dir.resolve(inits[i]).toString();
            assertEquals(0, MixSparkCli.run("fit", "--input", rows, "--label-col", "label", "--k", "2", "--init",
                    inits[i], "--n-init", "10", "--reg-covar", "auto", "--seed", "21", "--output", out));
            ari[i] = ari(out);
        }
        assertTrue(ari[0] > 0.9, "small-em ARI " + ari[0]);
        assertTrue(ari[1] < ari[0] - 0.2, "the k-means start did as well: ARI " + ari[1] + " against " + ari[0]);
    }

    @Test
    void emStartsFromTheSdp(@TempDir Path dir) throws Exception {
        String out = dir.resolve("fit").toString();
        assertEquals(0, MixSparkCli.run("fit", "--input", data, "--label-col", "label", "--k", "3", "--init", "sdp",
                "--output", out));
        assertTrue(ari(out) > 0.95, "ARI " + ari(out));
    }

    @Test
    void refusesWhatItCannotSolve(@TempDir Path dir) {
        String out = dir.resolve("x").toString();
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("sdp", "--input", data, "--k", "3", "--method", "ila-sdp",
                "--solver", "burer-monteiro", "--output", out));
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("sdp", "--input", data, "--k", "3", "--solver", "admm",
                "--output", out));
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("sdp", "--input", data, "--k", "3", "--weight-col", "label",
                "--output", out));
        // With the k-means SDP, even an iLA-SDP option at its default is refused: it would do nothing.
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("sdp", "--input", data, "--k", "3", "--ila-em-restarts", "10",
                "--output", out));
        int tooMany = MixSparkCli.run("sdp", "--input", data, "--label-col", "label", "--k", "3", "--solver", "dense",
                "--output", out);
        assertTrue(tooMany != 0, "3000 rows exceed the dense solver's limit");
        assertFalse(new File(out).exists(), "a failed run leaves no output");
    }
}
