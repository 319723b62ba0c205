package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit in its own JVM is killed (SIGKILL) after its first checkpoint; {@code --resume} then
 * finishes it, and the model equals an uninterrupted fit's.
 */
class ResumeAfterKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    @Test
    void aKilledFitResumesToTheUninterruptedModel(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data.parquet").toString();
        assertEquals(0, MixSparkCli.run("generate", "--n", "5000", "--d", "4", "--k", "4", "--seed", "8",
                "--partitions", "2", "--output", data));
        List<String> fit = List.of("fit", "--input", data, "--label-col", "label", "--k", "4", "--seed", "5",
                "--max-iter", "30", "--tol", "0");
        String reference = dir.resolve("reference").toString();
        assertEquals(0, MixSparkCli.run(array(with(fit, "--output", reference))));

        String checkpoints = dir.resolve("checkpoints").toString();
        String resumed = dir.resolve("resumed").toString();
        List<String> withCheckpoints = with(fit, "--checkpoint-dir", checkpoints, "--checkpoint-every", "2",
                "--output", resumed);
        Process child = startFitJvm(withCheckpoints, dir.resolve("child.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (newestCheckpoint(checkpoints) == null && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the fit ended before it could be killed; see " + dir.resolve("child.log"));
            assertTrue(newestCheckpoint(checkpoints) != null, "no checkpoint appeared");
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(new File(resumed).exists(), "a killed fit leaves no output");
        Path newest = newestCheckpoint(checkpoints);
        int killedAt = JSON.readTree(newest.toFile()).get("iteration").asInt();
        assertTrue(killedAt < 30, "killed part-way, at iteration " + killedAt);

        CapturedRun resume = CapturedRun.of(array(with(withCheckpoints, "--resume")));
        assertEquals(0, resume.code(), resume.text());
        assertTrue(resume.text().contains("resuming from checkpoint " + newest + " (restart 1, iteration "
                + killedAt + ")"), resume.text());

        JsonNode a = JSON.readTree(new File(reference, "model.json"));
        JsonNode b = JSON.readTree(new File(resumed, "model.json"));
        assertEquals(30, b.get("iterations").asInt());
        assertEquals(a.get("meanLogLikelihood").asDouble(), b.get("meanLogLikelihood").asDouble(), 1e-9);
        for (int c = 0; c < 4; c++) {
            for (int j = 0; j < 4; j++) {
                double expected = a.get("means").get(c).get(j).asDouble();
                assertEquals(expected, b.get("means").get(c).get(j).asDouble(), 1e-9 * (1 + Math.abs(expected)));
            }
        }
    }

    /** The newest complete checkpoint generation in the directory, or null. */
    private static Path newestCheckpoint(String dir) throws Exception {
        if (!Files.isDirectory(Path.of(dir))) {
            return null;
        }
        try (var files = Files.list(Path.of(dir))) {
            return files.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.json"))
                    .max(java.util.Comparator.naturalOrder()).orElse(null);
        }
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> out = new ArrayList<>(args);
        out.addAll(List.of(more));
        return out;
    }

    /** The command line in a fresh JVM with this JVM's classpath and flags, on local[2]. */
    private static Process startFitJvm(List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Djdk.reflect")
                    || flag.startsWith("-Dio.netty")) {
                command.add(flag);
            }
        }
        command.add("-Xmx1g");
        command.add("-Dspark.ui.enabled=false");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.mixspark.cli.MixSparkCli");
        command.addAll(args);
        command.add("--master");
        command.add("local[2]");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String[] array(List<String> args) {
        return args.toArray(String[]::new);
    }
}
