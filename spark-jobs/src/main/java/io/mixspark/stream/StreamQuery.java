package io.mixspark.stream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs a streaming query ({@code stream}'s, {@code predict --stream}'s) to its end: with {@code available-now} or {@code once}, until the files
 * there are processed; with an interval, until the process gets SIGTERM or SIGINT. Either signal
 * stops the query cleanly after the batch in flight (a second one takes the JVM's default way
 * out), and so does {@link #stopAll()}.
 */
public final class StreamQuery {

    private static final long POLL_MILLIS = 200;
    /** The stop flags of the streams running in this JVM. */
    private static final Set<AtomicBoolean> RUNNING = ConcurrentHashMap.newKeySet();

    private StreamQuery() {
    }

    /** Starts a streaming query. */
    @FunctionalInterface
    public interface QueryStart {
        StreamingQuery start() throws TimeoutException;
    }

    /**
     * Stops every stream running in this JVM as SIGTERM would, after its batch in flight: for a
     * notebook or a program that started {@code mixspark stream} on a thread of its own.
     */
    public static void stopAll() {
        RUNNING.forEach(flag -> flag.set(true));
    }

    /**
     * @throws StreamingQueryException when a batch fails; its cause says why
     */
    public static void run(Dataset<Row> stream, OnlineEmSink sink, StreamTrigger trigger, String checkpointDir)
            throws StreamingQueryException, TimeoutException {
        run(() -> stream.writeStream().foreachBatch(sink).trigger(trigger.trigger())
                .option("checkpointLocation", checkpointDir).start(), sink::stopAfterBatchInFlight);
    }

    /**
     * Starts a query and waits for its end; on SIGTERM or SIGINT (or {@link #stopAll()}) calls
     * {@code stopAfterBatchInFlight}, which returns once the batch in flight is done, then stops the query.
     *
     * @throws StreamingQueryException when a batch fails; its cause says why
     */
    public static void run(QueryStart start, Runnable stopAfterBatchInFlight)
            throws StreamingQueryException, TimeoutException {
        AtomicBoolean terminate = new AtomicBoolean();
        // SIGINT (Ctrl-C) as SIGTERM: without a handler the JVM's shutdown would fail the batch in flight.
        Signal[] signals = {new Signal("TERM"), new Signal("INT")};
        SignalHandler[] previous = new SignalHandler[signals.length];
        for (int i = 0; i < signals.length; i++) {
            int which = i;
            previous[i] = Signal.handle(signals[i], signal -> {
                if (!terminate.getAndSet(true)) {
                    return;
                }
                // A second signal: the way out the JVM would have taken.
                if (previous[which] == SignalHandler.SIG_DFL) {
                    System.exit(128 + signal.getNumber());
                } else if (previous[which] != SignalHandler.SIG_IGN) {
                    previous[which].handle(signal);
                }
            });
        }
        RUNNING.add(terminate);
        try {
            StreamingQuery query = start.start();
            while (!query.awaitTermination(POLL_MILLIS)) {
                if (terminate.get()) {
                    System.out.println("stopping after the batch in flight");
                    stopAfterBatchInFlight.run();
                    query.stop();
                    break;
                }
            }
        } finally {
            RUNNING.remove(terminate);
            for (int i = 0; i < signals.length; i++) {
                Signal.handle(signals[i], previous[i]);
            }
        }
    }
}
