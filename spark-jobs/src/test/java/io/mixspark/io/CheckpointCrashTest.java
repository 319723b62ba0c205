package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.EmCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process killed at any step of a checkpoint save leaves a complete checkpoint behind: a child
 * JVM saves iterations 1 and 2 and halts inside the second save at the step under test; the
 * store then reads iteration 1 (killed before the new generation has its name) or 2 (after), and
 * saves on from there.
 */
class CheckpointCrashTest {

    @ParameterizedTest(name = "killed at {0}")
    @EnumSource(HadoopCheckpointStore.Step.class)
    void aKillAtAnyStepLeavesACompleteCheckpoint(HadoopCheckpointStore.Step step, @TempDir Path dir)
            throws Exception {
        String checkpoints = dir.resolve("checkpoints").toString();
        Path log = dir.resolve("child.log");
        int halted = CheckpointWriterMain.runInChildJvm(log, checkpoints, "2", step.name());
        assertEquals(CheckpointWriterMain.HALTED, halted, "the child halted at " + step + ": " + Files.readString(log));
        int expected = switch (step) {
            case PARTLY_WRITTEN, WRITTEN -> 1;
            case PUBLISHED, PRUNED -> 2;
        };

        HadoopCheckpointStore store = new HadoopCheckpointStore(checkpoints, new Configuration());
        EmCheckpoint resumed = store.load();
        assertNotNull(resumed, "killed at " + step + ", the store lost every checkpoint");
        assertEquals(expected, resumed.iteration(), "killed at " + step);
        assertEquals(CheckpointWriterMain.checkpoint(expected).model(), resumed.model(), "a complete checkpoint");
        assertTrue(store.source().endsWith("/checkpoints/checkpoint-000000000" + expected + ".json"),
                "the store names the file it read: " + store.source());

        store.save(CheckpointWriterMain.checkpoint(expected + 1));
        assertEquals(expected + 1, new HadoopCheckpointStore(checkpoints, new Configuration()).load().iteration(),
                "saving goes on after the kill");
    }
}
