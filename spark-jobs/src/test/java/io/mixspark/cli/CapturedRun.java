package io.mixspark.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the command line in this JVM with standard output and error captured together.
 *
 * @param code the exit code
 * @param text what it printed
 */
public record CapturedRun(int code, String text) {

    public static CapturedRun of(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try (PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            System.setErr(both);
            code = MixSparkCli.run(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new CapturedRun(code, captured.toString(StandardCharsets.UTF_8));
    }
}
