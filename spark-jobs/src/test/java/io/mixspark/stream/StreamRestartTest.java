package io.mixspark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.cli.CapturedRun;
import io.mixspark.gmm.Kernels;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts of a stream from its checkpoint. One that replaced an output with {@code --overwrite}
 * and failed after its first batch's state was saved but before any output was written still
 * replaces the old output whole without {@code --overwrite}, because the claim is decided from the
 * saved state, not the flag. A restart with another {@code --output} is refused; one with another
 * {@code --kernel} reports its own; a state saved before the fingerprint named {@code --invalid}
 * resumes with the default.
 */
class StreamRestartTest {

    @TempDir
    static Path dir;
    private static Path input;

    @BeforeAll
    static void files() {
        SharedSpark.session();
        input = dir.resolve("landing");
        StreamFiles.write(input, StreamFiles.threeClusters(0), 0, 2, 300, 5);
    }

    @AfterEach
    void noHook() {
        OnlineEmSink.hook = (step, batchId) -> { };
    }

    @Test
    void aRestartWithoutOverwriteStillReplacesTheOldOutputWhole() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("predictions"));
        Files.writeString(out.resolve("model.json"), "{\"old\": true}");
        Files.writeString(out.resolve("metrics.json"), "{\"old\": true}");
        Files.writeString(out.resolve("predictions").resolve("part-0.csv"), "x,cluster\n1.0,0\n");
        Files.writeString(out.resolve("_SUCCESS"), "");
        Path checkpoint = dir.resolve("ck");

        OnlineEmSink.hook = (step, batchId) -> {
            if (step == OnlineEmSink.Step.STATE_SAVED) {
                throw new IllegalStateException("failed after the state was saved");
            }
        };
        CapturedRun failed = CapturedRun.of(args(checkpoint, out, "--overwrite"));
        assertNotEquals(0, failed.code(), failed.text());
        noHook();

        CapturedRun restart = CapturedRun.of(args(checkpoint, out));
        assertEquals(0, restart.code(), restart.text());
        assertTrue(Files.notExists(out.resolve("predictions")), "the old output's files are gone: "
                + restart.text());
        assertEquals(3, StreamFiles.model(out).k());
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"batches\""));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void aRestartWithAnotherOutputIsRefused() throws Exception {
        Path checkpoint = dir.resolve("ck-moved");
        CapturedRun first = CapturedRun.of(args(checkpoint, dir.resolve("first")));
        assertEquals(0, first.code(), first.text());

        CapturedRun moved = CapturedRun.of(args(checkpoint, dir.resolve("second")));
        assertEquals(3, moved.code(), moved.text());
        assertTrue(moved.text().contains("writes the output"), moved.text());
        assertTrue(Files.notExists(dir.resolve("second")));
    }

    @Test
    void aRestartWithAnotherKernelReportsItsOwn() throws Exception {
        String auto = Kernels.reportedName(Kernels.passName("auto"));
        assumeFalse(auto.equals("java"), "this JVM's auto kernel is java");
        Path checkpoint = dir.resolve("ck-kernel");
        Path out = dir.resolve("kernel");
        CapturedRun first = CapturedRun.of(args(checkpoint, out, "--kernel", "java"));
        assertEquals(0, first.code(), first.text());
        assertEquals("java", kernelIn(out));

        CapturedRun restart = CapturedRun.of(args(checkpoint, out, "--kernel", "auto"));
        assertEquals(0, restart.code(), restart.text());
        assertEquals(auto, kernelIn(out));
    }

    @Test
    void aStateSavedBeforeTheFingerprintNamedInvalidResumes() throws Exception {
        Path checkpoint = dir.resolve("ck-old-fingerprint");
        Path out = dir.resolve("old-fingerprint");
        CapturedRun first = CapturedRun.of(args(checkpoint, out));
        assertEquals(0, first.code(), first.text());
        Path state;
        try (Stream<Path> files = Files.list(checkpoint.resolve(StreamStateStore.DIRECTORY))) {
            state = files.filter(p -> p.getFileName().toString().matches("state-\\d+\\.json")).findFirst()
                    .orElseThrow();
        }
        String text = Files.readString(state);
        assertTrue(text.contains(" invalid=error\""), text);
        Files.writeString(state, text.replace(" invalid=error\"", "\""));
        // Hadoop's checksum of the file as written; edited by hand, the file has none.
        Files.deleteIfExists(state.resolveSibling("." + state.getFileName() + ".crc"));

        CapturedRun restart = CapturedRun.of(args(checkpoint, out));
        assertEquals(0, restart.code(), restart.text());
        assertTrue(restart.text().contains("continuing from"), restart.text());
    }

    private static String kernelIn(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("kernel").asText();
    }

    private static String[] args(Path checkpoint, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("stream", "--input", input.toString(), "--format", "csv",
                "--k", "3", "--seed", "7", "--max-files-per-trigger", "1", "--trigger", "available-now",
                "--checkpoint-dir", checkpoint.toString(), "--output", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
