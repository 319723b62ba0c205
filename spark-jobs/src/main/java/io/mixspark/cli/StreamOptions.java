package io.mixspark.cli;

import java.util.Locale;
import org.apache.spark.sql.streaming.Trigger;
import picocli.CommandLine.Option;

/** How a streaming query runs: its checkpoint and its trigger. */
public final class StreamOptions {

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "The query's Structured Streaming checkpoint: a restart with the same directory goes on"
                    + " from the last batch it finished.")
    String checkpointDir;

    @Option(names = "--trigger", paramLabel = "WHEN",
            description = "available-now (process what is there, then exit), once, or an interval such as"
                    + " '10 seconds' (keep running until stopped) (default: a batch as soon as the last one ends).")
    String trigger;

    /** The trigger, or null for Spark's default (the next batch as soon as the last one is done). */
    Trigger parsedTrigger() {
        if (trigger == null) {
            return null;
        }
        String t = trigger.trim().toLowerCase(Locale.ROOT);
        if (t.equals("available-now")) {
            return Trigger.AvailableNow();
        }
        if (t.equals("once")) {
            return onceTrigger();
        }
        try {
            return Trigger.ProcessingTime(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--trigger must be available-now, once or an interval such as"
                    + " '10 seconds', got '" + trigger + "'");
        }
    }

    @SuppressWarnings("deprecation")
    private static Trigger onceTrigger() {
        // Spark deprecates Once for AvailableNow, which may split the backlog into several batches.
        return Trigger.Once();
    }

    /** Throws IllegalArgumentException on a missing checkpoint or a bad trigger. */
    void validate(String command) {
        if (checkpointDir == null || checkpointDir.isBlank()) {
            throw new IllegalArgumentException(command + " needs --checkpoint-dir, where the query records the"
                    + " batches it has done");
        }
        parsedTrigger();
    }

    /** Whether any of these options was given. */
    boolean given() {
        return checkpointDir != null || trigger != null;
    }
}
