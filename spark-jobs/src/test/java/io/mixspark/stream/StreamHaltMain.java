package io.mixspark.stream;

import io.mixspark.cli.MixSparkCli;
import java.util.Arrays;

/**
 * A child JVM for {@link StreamKillTest}: runs {@code mixspark} and halts the JVM (as SIGKILL
 * would: no shutdown hooks, no flushing) when the stream reaches the named step of the named batch.
 *
 * <p>Arguments: step ({@link OnlineEmSink.Step}), batch id, then the command line.
 */
public final class StreamHaltMain {

    /** The exit status of a halted child, as the shell reports a SIGKILL. */
    static final int HALTED = 137;

    private StreamHaltMain() {
    }

    public static void main(String[] args) {
        OnlineEmSink.Step haltAt = OnlineEmSink.Step.valueOf(args[0]);
        long batch = Long.parseLong(args[1]);
        OnlineEmSink.hook = (step, batchId) -> {
            if (step == haltAt && batchId == batch) {
                Runtime.getRuntime().halt(HALTED);
            }
        };
        MixSparkCli.main(Arrays.copyOfRange(args, 2, args.length));
    }
}
