package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} continues only the fit its checkpoint was written by: other data of the same
 * size, or the same data with its features in another order, stop the fit with a message saying
 * what differs, or start afresh with {@code --resume-mismatch restart}; the same rows in other
 * files and another order resume.
 */
class ResumeMismatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEATURES = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm";

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void aCheckpointOfOtherDataOrFeaturesIsRefusedOrRestarted(@TempDir Path dir) throws Exception {
        List<String> iris = Files.readAllLines(Path.of("..", "data", "iris.csv"));
        Path original = dir.resolve("iris.csv");
        Files.write(original, iris);
        // The same 150 rows, shuffled and split over two files.
        List<String> rows = new ArrayList<>(iris.subList(1, iris.size()));
        Collections.reverse(rows);
        Path split = Files.createDirectories(dir.resolve("split.csv"));
        Files.write(split.resolve("a.csv"), with(iris.get(0), rows.subList(0, 70)));
        Files.write(split.resolve("b.csv"), with(iris.get(0), rows.subList(70, rows.size())));
        // Other data of the same size: every sepal length doubled.
        List<String> other = new ArrayList<>(List.of(iris.get(0)));
        for (String row : iris.subList(1, iris.size())) {
            String[] v = row.split(",");
            v[0] = String.format(Locale.ROOT, "%.1f", 2 * Double.parseDouble(v[0]));
            other.add(String.join(",", v));
        }
        Path changed = dir.resolve("other.csv");
        Files.write(changed, other);

        String checkpoints = dir.resolve("checkpoints").toString();
        assertEquals(0, fit(original, FEATURES, checkpoints, dir.resolve("first")).code());

        CapturedRun otherData = fit(changed, FEATURES, checkpoints, dir.resolve("other"), "--resume");
        assertEquals(ExitCodes.INPUT_DATA, otherData.code(), otherData.text());
        assertTrue(otherData.text().contains("the data's content differs"), otherData.text());
        assertTrue(otherData.text().contains("--resume-mismatch restart"), otherData.text());
        assertFalse(new File(dir.resolve("other").toString()).exists(), "no output from a refused resume");

        String permuted = "sepal_width_cm,sepal_length_cm,petal_length_cm,petal_width_cm";
        CapturedRun reordered = fit(original, permuted, checkpoints, dir.resolve("reordered"), "--resume");
        assertEquals(ExitCodes.INPUT_DATA, reordered.code(), reordered.text());
        assertTrue(reordered.text().contains("the features differ: the checkpoint's are [" + FEATURES.replace(",",
                ", ") + "], this fit's [" + permuted.replace(",", ", ") + "]"), reordered.text());

        CapturedRun sameRows = fit(split, FEATURES, checkpoints, dir.resolve("same"), "--resume");
        assertEquals(0, sameRows.code(), sameRows.text());
        assertTrue(sameRows.text().contains("resuming from checkpoint " + checkpoints + "/checkpoint-"),
                sameRows.text());
        assertTrue(sameRows.text().contains(".json (after restart 1)"), "the first fit finished its one restart: "
                + sameRows.text());
        assertEquals(means(dir.resolve("first")), means(dir.resolve("same")));

        // Float blocks round each value against its block's means, which depend on the partitioning;
        // the digest is taken before that rounding.
        String floats = dir.resolve("float-checkpoints").toString();
        assertEquals(0, fit(original, FEATURES, floats, dir.resolve("float"), "--storage", "float").code());
        CapturedRun floatResume = fit(split, FEATURES, floats, dir.resolve("float-split"), "--storage", "float",
                "--resume");
        assertEquals(0, floatResume.code(), floatResume.text());
        assertTrue(floatResume.text().contains("resuming from checkpoint "), floatResume.text());

        CapturedRun restarted = fit(changed, FEATURES, checkpoints, dir.resolve("restarted"), "--resume",
                "--resume-mismatch", "restart");
        assertEquals(0, restarted.code(), restarted.text());
        assertTrue(restarted.text().contains("warning: the checkpoint " + checkpoints), restarted.text());
        assertTrue(restarted.text().contains("starting afresh"), restarted.text());
        assertEquals(0, fit(changed, FEATURES, null, dir.resolve("fresh")).code());
        assertEquals(means(dir.resolve("fresh")), means(dir.resolve("restarted")), "a fresh fit of the new data");
    }

    @Test
    void aMismatchPolicyWithoutResumeIsRefused(@TempDir Path dir) {
        CapturedRun run = fit(Path.of("..", "data", "iris.csv"), FEATURES, dir.resolve("checkpoints").toString(),
                dir.resolve("out"), "--resume-mismatch", "restart");
        assertEquals(ExitCodes.USAGE, run.code(), run.text());
        assertTrue(run.text().contains("error: --resume-mismatch applies only with --resume"), run.text());
    }

    private static CapturedRun fit(Path input, String features, String checkpoints, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("fit", "--input", input.toString(), "--features", features,
                "--k", "2", "--max-iter", "8", "--seed", "3", "--output", output.toString()));
        if (checkpoints != null) {
            args.addAll(List.of("--checkpoint-dir", checkpoints, "--checkpoint-every", "2"));
        }
        args.addAll(List.of(more));
        return CapturedRun.of(args.toArray(String[]::new));
    }

    private static List<String> with(String header, List<String> rows) {
        List<String> out = new ArrayList<>(List.of(header));
        out.addAll(rows);
        return out;
    }

    private static JsonNode means(Path fit) throws Exception {
        return JSON.readTree(fit.resolve("model.json").toFile()).get("means");
    }
}
