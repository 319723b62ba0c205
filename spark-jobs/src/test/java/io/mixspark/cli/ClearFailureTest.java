package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.SharedSpark;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures the user causes (a path on a file system without its connector, a bad or unreachable
 * master, an absurd grid, a mistyped option) end in one {@code error:} line and a documented exit
 * code, never a stack trace.
 */
class ClearFailureTest {

    private static String iris;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
    }

    @Test
    void anS3aInputSaysHowToAddTheConnector() {
        CapturedRun run = CapturedRun.of("fit", "--input", "s3a://bucket/x.csv", "--k", "2", "--output", out());
        assertClear(run, ExitCodes.IO);
        assertTrue(run.text().contains("no Hadoop file system for scheme \"s3a\""), run.text());
        assertTrue(run.text().contains("--packages org.apache.hadoop:hadoop-aws:" + VersionInfo.getVersion()), run.text());
        assertTrue(run.text().contains("MIXSPARK_CLASSPATH"), run.text());
    }

    @Test
    void anyUnknownSchemeIsAnIoErrorNamingTheScheme() {
        CapturedRun run = CapturedRun.of("fit", "--input", "gs://bucket/x.csv", "--k", "2", "--output", out());
        assertClear(run, ExitCodes.IO);
        assertTrue(run.text().contains("no Hadoop file system for scheme \"gs\""), run.text());
        assertTrue(run.text().contains("gcs-connector"), run.text());
    }

    @Test
    void anOutputOnAnUnknownSchemeIsRefusedToo() {
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "2", "--output", "abfs://c@a.dfs.core.windows.net/out");
        assertClear(run, ExitCodes.IO);
        assertTrue(run.text().contains("hadoop-azure"), run.text());
    }

    @Test
    void aMasterUrlSparkCannotParseIsAUsageError() {
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "2", "--output", out(), "--master", "bogus://x");
        assertClear(run, ExitCodes.USAGE);
        assertTrue(run.text().contains("--master 'bogus://x' is not a master URL Spark knows"), run.text());
    }

    @Test
    void anUnreachableStandaloneMasterFailsFast() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CapturedRun run = CapturedRun.of("fit", "--input", iris, "--k", "2", "--output", out(),
                "--master", "spark://127.0.0.1:" + closed);
        assertClear(run, ExitCodes.IO);
        assertTrue(run.text().contains("could not reach the Spark master at spark://127.0.0.1:" + closed), run.text());
    }

    @Test
    void aHugeGridOfKIsRefusedBeforeAnyWork() {
        CapturedRun run = CapturedRun.of("select", "--input", iris, "--k", "1..2147483647", "--output", out());
        assertClear(run, ExitCodes.USAGE);
        assertTrue(run.text().contains("--k and --covariance make a grid of 8589934588 fits, more than 1000"),
                run.text());
    }

    @Test
    void aKAboveTheRowsIsRefusedAfterCounting() {
        CapturedRun run = CapturedRun.of("select", "--input", iris, "--k", "2,151", "--covariance", "diag",
                "--output", out());
        assertClear(run, ExitCodes.INPUT_DATA);
        assertTrue(run.text().contains("--k names k = 151, more than the 150 rows"), run.text());
    }

    @Test
    void picocliUsageErrorsCarryThePrefix() {
        CapturedRun unknown = CapturedRun.of("fit", "--input", iris, "--k", "2", "--output", out(), "--bogus");
        assertClear(unknown, ExitCodes.USAGE);
        assertTrue(unknown.text().contains("error: Unknown option: '--bogus'"), unknown.text());

        CapturedRun missing = CapturedRun.of("fit", "--input", iris, "--output", out());
        assertClear(missing, ExitCodes.USAGE);
        assertTrue(missing.text().contains("error: Missing required option: '--k=K'"), missing.text());

        CapturedRun badType = CapturedRun.of("fit", "--input", iris, "--k", "two", "--output", out());
        assertClear(badType, ExitCodes.USAGE);
        assertTrue(badType.text().contains("error: Invalid value for option '--k': 'two' is not an int"), badType.text());
        assertTrue(badType.text().contains("Try 'mixspark fit --help'."), badType.text());

        CapturedRun noValue = CapturedRun.of("fit", "--input", iris, "--output", out(), "--k");
        assertClear(noValue, ExitCodes.USAGE);

        // picocli starts an argument group's message with its own "Error: ".
        CapturedRun group = CapturedRun.of("report", "--run", out(), "--label-col", "species", "--output", out());
        assertClear(group, ExitCodes.USAGE);
        assertTrue(group.text().contains("error: Missing required argument(s): --input=PATH"), group.text());
    }

    private String out() {
        return dir.resolve("out").toString();
    }

    /** The exit code, exactly one error line, and no stack trace. */
    private static void assertClear(CapturedRun run, int code) {
        String text = run.text();
        assertEquals(code, run.code(), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("error:")).count(), text);
        assertFalse(text.contains("\tat "), "a stack trace:\n" + text);
        assertFalse(text.contains("Exception"), "an exception name:\n" + text);
    }
}
