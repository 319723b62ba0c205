package io.mixspark.cli;

import java.util.Arrays;

/**
 * A child JVM for {@link StreamingPredictKillTest}: runs {@code mixspark} and, when {@code predict
 * --stream} reaches the named step of the named batch, either halts the JVM (as SIGKILL would) or
 * sends the process SIGTERM (or SIGINT, as Ctrl-C does) and goes on with the batch a few seconds
 * later, as a slow batch would.
 *
 * <p>Arguments: step ({@link StreamingPredict.Step}), batch id, {@code halt}, {@code term} or
 * {@code int}, then the command line.
 */
public final class PredictStopMain {

    /** The exit status of a halted child, as the shell reports a SIGKILL. */
    static final int HALTED = 137;
    /** How long the batch goes on after its SIGTERM. */
    static final long SLOW_BATCH_MILLIS = 3000;

    private PredictStopMain() {
    }

    public static void main(String[] args) {
        StreamingPredict.Step at = StreamingPredict.Step.valueOf(args[0]);
        long batch = Long.parseLong(args[1]);
        boolean halt = args[2].equals("halt");
        String signal = args[2].equals("int") ? "-INT" : "-TERM";
        StreamingPredict.hook = (step, batchId) -> {
            if (step != at || batchId != batch) {
                return;
            }
            if (halt) {
                Runtime.getRuntime().halt(HALTED);
            }
            new ProcessBuilder("kill", signal, Long.toString(ProcessHandle.current().pid())).inheritIO().start()
                    .waitFor();
            Thread.sleep(SLOW_BATCH_MILLIS);
        };
        MixSparkCli.main(Arrays.copyOfRange(args, 3, args.length));
    }
}
