package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Scoring;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict}'s metrics.json scores its input under the model as the in-memory scorer does. */
class PredictScoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String iris;

    @BeforeAll
    static void start() {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
    }

    @Test
    void metricsHoldTheInputsMeanLogLikelihoodUnderTheModel(@TempDir Path dir) throws Exception {
        String fit = dir.resolve("fit").toString();
        assertEquals(0, MixSparkCli.run("fit", "--input", iris, "--k", "3", "--label-col", "species", "--seed", "1",
                "--output", fit));
        String predicted = dir.resolve("predict").toString();
        CapturedRun run = CapturedRun.of("predict", "--model", fit, "--input", iris, "--label-col", "species",
                "--partitions", "3", "--output", predicted);
        assertEquals(0, run.code(), run.text());

        JsonNode metrics = JSON.readTree(new File(predicted, "metrics.json"));
        assertTrue(metrics.has("meanLogLikelihood") && metrics.has("rows"), metrics.toString());
        assertEquals(150, metrics.get("rows").asLong());

        ModelJson.Named model = ModelJson.parse(Files.readString(Path.of(fit, "model.json")), "model.json");
        List<String> lines = Files.readAllLines(Path.of(iris));
        double[] values = new double[(lines.size() - 1) * 4];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int a = 0; a < 4; a++) {
                values[(i - 1) * 4 + a] = Double.parseDouble(cells[a]);
            }
        }
        double sum = 0;
        for (double v : Scoring.scoreSamples(JavaLikelihoodKernel.INSTANCE, model.mixture(),
                DataBlock.of(values, 4))) {
            sum += v;
        }
        assertEquals(sum / 150, metrics.get("meanLogLikelihood").asDouble(), 1e-9);
    }
}
