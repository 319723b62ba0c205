package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.EmCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process killed at any step of a checkpoint save leaves a complete checkpoint behind: a child
 * JVM saves iterations 1 and 2 and halts inside the second save at the step under test; the
 * store then reads iteration 1 or 2, never nothing, and saves on from there.
 */
class CheckpointCrashTest {

    @ParameterizedTest(name = "killed at {0}")
    @EnumSource(HadoopCheckpointStore.Step.class)
    void aKillAtAnyStepLeavesACompleteCheckpoint(HadoopCheckpointStore.Step step, @TempDir Path dir)
            throws Exception {
        String checkpoints = dir.resolve("checkpoints").toString();
        Path log = dir.resolve("child.log");
        Process child = childJvm(log, checkpoints, "2", step.name());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not stop");
        assertEquals(CheckpointWriterMain.HALTED, child.exitValue(), "the child halted at " + step + ": "
                + Files.readString(log));

        HadoopCheckpointStore store = new HadoopCheckpointStore(checkpoints, new Configuration());
        EmCheckpoint resumed = store.load();
        assertNotNull(resumed, "killed at " + step + ", the store lost every checkpoint");
        int iteration = resumed.iteration();
        assertTrue(iteration == 1 || iteration == 2, "iteration " + iteration);
        assertEquals(CheckpointWriterMain.checkpoint(iteration).model(), resumed.model(), "a complete checkpoint");
        assertTrue(store.source().contains(checkpoints.substring(checkpoints.lastIndexOf('/'))),
                "the store names the file it read: " + store.source());

        store.save(CheckpointWriterMain.checkpoint(iteration + 1));
        assertEquals(iteration + 1, new HadoopCheckpointStore(checkpoints, new Configuration()).load().iteration(),
                "saving goes on after the kill");
    }

    /** This JVM's classpath and a fresh JVM: only the store and the local file system, no Spark. */
    private static Process childJvm(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), CheckpointWriterMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
