package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit --known-label-col} end to end on iris with the species of a random 5% of the rows
 * known: class names numbered in sorted order into model.json, and the model of the in-memory
 * semi-supervised fit on the same rows and labels.
 */
class KnownLabelsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> CLASSES = Map.of("setosa", 0, "versicolor", 1, "virginica", 2);

    @TempDir
    static Path dir;
    private static String csv;
    private static double[] values;
    private static int[] labels;
    private static long labelled;

    @BeforeAll
    static void writeTable() throws Exception {
        SharedSpark.session();
        List<String> lines = Files.readAllLines(Path.of("..", "data", "iris.csv"));
        Random random = new Random(17);
        StringBuilder text = new StringBuilder(lines.get(0) + ",known\n");
        List<double[]> rows = new ArrayList<>();
        List<Integer> known = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            String species = cells[cells.length - 1];
            boolean labelHere = random.nextDouble() < 0.05;
            text.append(line).append(',').append(labelHere ? species : "").append('\n');
            double[] x = new double[cells.length - 1];
            for (int a = 0; a < x.length; a++) {
                x[a] = Double.parseDouble(cells[a]);
            }
            rows.add(x);
            known.add(labelHere ? CLASSES.get(species) : DataBlock.UNLABELLED);
        }
        csv = dir.resolve("iris-known.csv").toString();
        Files.writeString(Path.of(csv), text.toString());
        int d = rows.get(0).length;
        values = new double[rows.size() * d];
        labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, values, i * d, d);
            labels[i] = known.get(i);
            labelled += labels[i] == DataBlock.UNLABELLED ? 0 : 1;
        }
    }

    @Test
    void knownClassesAreNumberedAndFitLikeTheInMemoryFit() throws Exception {
        String out = dir.resolve("fit").toString();
        int code = MixSparkCli.run("fit", "--input", csv, "--label-col", "species", "--known-label-col", "known",
                "--k", "3", "--kernel", "java", "--tol", "1e-8", "--output", out);
        assertEquals(ExitCodes.OK, code);

        JsonNode model = JSON.readTree(new File(out, "model.json"));
        assertEquals(CLASSES, JSON.convertValue(model.get("knownLabels"), Map.class));
        assertEquals(labelled, JSON.readTree(new File(out, "metrics.json")).get("labelledRows").asLong());
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).tol(1e-8).kernel("java").build();
        var local = EmFitter.fit(InMemoryBlockData.of(values, null, labels, 4, 4096), options, FitListener.NONE);
        Mixture fitted = ModelJson.parse(Files.readString(Path.of(out, "model.json")), "model.json").mixture();
        for (int c = 0; c < 3; c++) {
            assertEquals(local.model().weight(c), fitted.weight(c), 1e-9);
            assertArrayEquals(local.model().mean(c), fitted.mean(c), 1e-9);
            assertArrayEquals(local.model().covariance(c), fitted.covariance(c), 1e-9);
        }
    }

    @Test
    void theHierarchicalStartPutsEachKnownClassInItsComponent() throws Exception {
        String out = dir.resolve("fit-hc").toString();
        int code = MixSparkCli.run("fit", "--input", csv, "--label-col", "species", "--known-label-col", "known",
                "--k", "3", "--init", "hc", "--kernel", "java", "--output", out);
        assertEquals(ExitCodes.OK, code);

        Mixture fitted = ModelJson.parse(Files.readString(Path.of(out, "model.json")), "model.json").mixture();
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).initMode(InitMode.HC).kernel("java").build();
        Mixture local = EmFitter.fit(InMemoryBlockData.of(values, null, labels, 4, 4096), options, FitListener.NONE)
                .model();
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, fitted, DataBlock.of(values, 4));
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != DataBlock.UNLABELLED) {
                assertEquals(labels[i], predicted[i], "labelled row " + i);
            }
        }
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(local.mean(c), fitted.mean(c), 1e-9);
        }
    }
}
