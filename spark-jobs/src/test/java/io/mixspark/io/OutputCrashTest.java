package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A job killed (its JVM halted, as by SIGKILL) at any step of replacing its output: the next run
 * finds a complete output, marked by {@code _SUCCESS} (the old one, or the new one once that is
 * complete), and removes what the killed run left beside it.
 */
class OutputCrashTest {

    @ParameterizedTest(name = "killed at {0}")
    @EnumSource(OutputDirectory.Step.class)
    void aKillWhileReplacingLeavesACompleteOutputAndTheNextRunCleansUp(OutputDirectory.Step step,
                                                                      @TempDir Path dir) throws Exception {
        Path target = dir.resolve("out");
        Path log = dir.resolve("child.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), OutputWriterMain.class.getName(), target.toString(),
                step.name()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not stop");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(OutputWriterMain.HALTED, child.exitValue(), "halted at " + step + ": " + Files.readString(log));
        String expected = switch (step) {
            case STAGED, OLD_MOVED_ASIDE, MOVED_INTO_PLACE -> "old";
            case MARKED, CLEANED -> "new";
        };

        try (OutputDirectory next = new OutputDirectory(target.toString(), true, new Configuration())) {
            assertTrue(Files.exists(target.resolve("_SUCCESS")), "killed at " + step + ", the output is marked"
                    + " complete: " + list(dir));
            assertEquals(expected, Files.readString(target.resolve("content.txt")), "killed at " + step);
        }
        assertEquals(List.of("child.log", "out"), list(dir), "the killed run's staging is gone");
        assertEquals(List.of("_SUCCESS", "content.txt"), list(target), "the output holds what its run wrote");
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }
}
