package io.mixspark.io;

import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.FitData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * A child JVM for {@link CheckpointCrashTest}: saves checkpoints of iterations 1, 2, ... into a
 * directory and halts the JVM (as SIGKILL would, with no shutdown hooks and no flushing) when the
 * save of the last one reaches the named step.
 *
 * <p>Arguments: directory (any Hadoop URI), iterations to save, step at which the last save stops
 * the JVM.
 */
public final class CheckpointWriterMain {

    /** The exit status of a halted child, as the shell reports a SIGKILL. */
    static final int HALTED = 137;

    private CheckpointWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        int iterations = Integer.parseInt(args[1]);
        HadoopCheckpointStore.Step haltAt = HadoopCheckpointStore.Step.valueOf(args[2]);
        int[] saving = {0};
        HadoopCheckpointStore store = new HadoopCheckpointStore(dir, new Configuration(), step -> {
            if (saving[0] == iterations && step == haltAt) {
                Runtime.getRuntime().halt(HALTED);
            }
        });
        for (int i = 1; i <= iterations; i++) {
            saving[0] = i;
            store.save(checkpoint(i));
        }
    }

    /**
     * Runs this class in a fresh JVM with this JVM's classpath (the store and Hadoop's clients, no
     * Spark), its output in {@code log}, and returns its exit status; a child still running after
     * a minute is killed and fails the test.
     */
    static int runInChildJvm(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), CheckpointWriterMain.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the child JVM did not stop within a minute: " + Files.readString(log));
            }
            return child.exitValue();
        } finally {
            child.destroyForcibly();
        }
    }

    /** A checkpoint after the given iteration of a 3-component, 4-dimensional fit. */
    static EmCheckpoint checkpoint(int iteration) {
        Mixture model = RandomMixtures.draw(3, 4, CovarianceType.FULL, 2, new Random(iteration));
        FitData data = new FitData(List.of("a", "b", "c", "d"), 4, 100, 100.0, "00000000000000ff");
        return new EmCheckpoint("test fit", data, 0, iteration, model, -1.0 * iteration, List.of(), null,
                new double[0]);
    }
}
