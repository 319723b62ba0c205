package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.LocalFoldSetting;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad rows fail a fit with the same exit code and message whether its passes fold in the driver or not. */
class LocalFoldCliTest {

    private static final Path ERRORS = Path.of("src/test/resources/errors").toAbsolutePath();

    /** The run's error lines, with the fold as set (the --conf lands in the shared session's conf). */
    private static List<String> errors(String input, String k, Path out, LocalFoldSetting setting) {
        SharedSpark.session();
        try {
            CapturedRun run = CapturedRun.of("fit", "--input", ERRORS.resolve(input).toString(), "--k", k,
                    "--conf", LocalFoldSetting.KEY + "=" + setting.id(), "--output", out.toString());
            assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
            return run.text().lines().filter(line -> line.startsWith("error:")).toList();
        } finally {
            SharedSpark.session().conf().unset(LocalFoldSetting.KEY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan.csv", "two-distinct.csv"})
    void aBadRowFailsTheFitWithTheSameMessage(String input, @TempDir Path dir) {
        String k = input.equals("nan.csv") ? "2" : "3";
        List<String> jobs = errors(input, k, dir.resolve("jobs"), LocalFoldSetting.OFF);
        List<String> folded = errors(input, k, dir.resolve("folded"), LocalFoldSetting.AUTO);
        assertEquals(1, jobs.size(), jobs.toString());
        assertTrue(jobs.get(0).contains(input.equals("nan.csv") ? "column 'y' is NaN at line 4 of file"
                : "found only 2 distinct rows"), jobs.get(0));
        assertEquals(jobs, folded);
    }
}
