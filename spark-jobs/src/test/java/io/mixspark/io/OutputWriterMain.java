package io.mixspark.io;

import org.apache.hadoop.conf.Configuration;

/**
 * A child JVM for {@link OutputCrashTest}: writes an output whose {@code content.txt} says "old",
 * then replaces it with one that says "new", halting the JVM (as SIGKILL would) when the
 * replacement reaches the named step.
 *
 * <p>Arguments: the output's path, the step.
 */
public final class OutputWriterMain {

    /** The exit status of a halted child, as the shell reports a SIGKILL. */
    static final int HALTED = 137;

    private OutputWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        OutputDirectory.Step haltAt = OutputDirectory.Step.valueOf(args[1]);
        Configuration conf = new Configuration();
        try (OutputDirectory first = new OutputDirectory(target, false, conf)) {
            first.writeText("content.txt", "old");
            first.commit();
        }
        try (OutputDirectory second = new OutputDirectory(target, true, conf, step -> {
            if (step == haltAt) {
                Runtime.getRuntime().halt(HALTED);
            }
        })) {
            second.writeText("content.txt", "new");
            second.commit();
        }
    }
}
