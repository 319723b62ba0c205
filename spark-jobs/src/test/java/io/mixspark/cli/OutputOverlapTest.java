package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --overwrite} never replaces what a command reads: an output equal to an input, above it
 * or inside it is refused before any work, and the input survives. Run on copies in a temporary
 * directory, because a regression here deletes the input.
 */
class OutputOverlapTest {

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void anOutputOverAnInputIsRefusedAndTheInputSurvives(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("tables");
        Files.createDirectories(data);
        Path csv = data.resolve("iris.csv");
        Files.copy(Path.of("..", "data", "iris.csv"), csv);
        String before = Files.readString(csv);

        for (String output : new String[] {csv.toString(), data.toString(), dir.toString()}) {
            CapturedRun run = CapturedRun.of("fit", "--input", csv.toString(), "--k", "2", "--output", output,
                    "--overwrite");
            assertEquals(ExitCodes.USAGE, run.code(), output + ": " + run.text());
            assertTrue(run.text().contains("overlaps the input"), run.text());
            assertEquals(before, Files.readString(csv), "the input must survive an output of " + output);
        }

        Path fit = dir.resolve("fit");
        assertEquals(0, CapturedRun.of("fit", "--input", csv.toString(), "--k", "2", "--output", fit.toString())
                .code());
        String model = Files.readString(fit.resolve("model.json"));
        CapturedRun overModel = CapturedRun.of("predict", "--model", fit.toString(), "--input", csv.toString(),
                "--output", fit.toString(), "--overwrite");
        assertEquals(ExitCodes.USAGE, overModel.code(), overModel.text());
        CapturedRun overReport = CapturedRun.of("report", "--run", fit.toString(), "--output",
                fit.resolve("model.json").toString(), "--overwrite");
        assertEquals(ExitCodes.USAGE, overReport.code(), overReport.text());
        assertEquals(model, Files.readString(fit.resolve("model.json")));

        // A new file beside the inputs is fine.
        assertEquals(0, CapturedRun.of("report", "--run", fit.toString(), "--output",
                fit.resolve("report.html").toString()).code());
    }
}
