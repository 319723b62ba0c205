package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every row of docs/ERRORS.md, so the documented messages and exit codes stay true.
 * {@code -Dmixspark.errors=TEXT} runs only the rows whose command contains TEXT.
 */
class ErrorTableTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ROW = Pattern.compile("^\\| (.+?) \\| `(.+?)` \\| (\\d) \\| `(.+?)` \\|$");

    @TempDir
    static Path outputs;

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(ROOT.resolve("docs/ERRORS.md"))) {
                Matcher m = ROW.matcher(line);
                if (m.matches() && m.group(2).contains(System.getProperty("mixspark.errors", ""))) {
                    out.add(Arguments.of(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                            m.group(4).replace("\\|", "|")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(out.size() >= (System.getProperty("mixspark.errors", "").isEmpty() ? 20 : 1),
                "docs/ERRORS.md lists the bad inputs; found " + out.size() + " rows");
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theDocumentedExitCodeAndMessage(String name, String command, int exit, String message) throws Exception {
        String row = name.replaceAll("\\W+", "-");
        String out = outputs.resolve(row).toString();
        // Each row reads its own copy of the fixtures, so a row that writes into one (a checkpoint
        // directory) cannot change the source tree or what another row reads.
        Path fixtures = copy(ROOT.resolve("spark-jobs/src/test/resources/errors"), outputs.resolve(row + "-errors"));
        String[] args = command.replace("\\|", "|")
                .replace("$IRIS", ROOT.resolve("data/iris.csv").toString())
                .replace("$E/", fixtures + File.separator)
                .replace("$E", fixtures.toString())
                .replace("$OUT", out)
                .split(" ");
        CapturedRun run = CapturedRun.of(args);
        String text = run.text();
        assertEquals(exit, run.code(), name + ": " + text);
        assertTrue(text.contains(message), name + ": expected '" + message + "' in:\n" + text);
        if (exit == ExitCodes.PARTIAL) {
            assertTrue(new File(out).isDirectory(), name + ": a partial result writes its outputs");
        } else if (exit != 0) {
            assertFalse(new File(out).exists(), name + ": a failed run must leave no output");
        }
        assertEquals(List.of(), leftovers(Path.of(out)), name + ": a run leaves no staging, owner record or old"
                + " output beside its output");
    }

    /** The hidden files and directories a run keeps beside its output while it runs. */
    private static List<String> leftovers(Path out) throws IOException {
        Pattern hidden = Pattern.compile("\\." + Pattern.quote(out.getFileName().toString())
                + "\\..*\\.(owner|staging|previous)");
        try (Stream<Path> files = Files.list(out.getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> hidden.matcher(n).matches()).toList();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
        return to;
    }
}
