package io.mixspark.cli;

import io.mixspark.stream.StreamTrigger;
import org.apache.spark.sql.streaming.Trigger;
import picocli.CommandLine.Option;

/** How a streaming query runs: its checkpoint and its trigger. */
public final class StreamOptions {

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "The query's Structured Streaming checkpoint: a restart with the same directory goes on"
                    + " from the last batch it finished.")
    String checkpointDir;

    @Option(names = "--trigger", paramLabel = "WHEN",
            description = "available-now (what is there, then exit), once (it in one batch, then exit) or an"
                    + " interval such as 30s, 5m or 1h (a batch per interval until stopped) (default: a batch as soon"
                    + " as the last one ends).")
    String trigger;

    /** The trigger, or null for Spark's default (the next batch as soon as the last one is done). */
    Trigger parsedTrigger() {
        return trigger == null ? null : StreamTrigger.parse(trigger).trigger();
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
