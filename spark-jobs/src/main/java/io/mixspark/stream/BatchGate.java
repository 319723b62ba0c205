package io.mixspark.stream;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a stream stop between batches: a batch runs inside {@link #run}, and
 * {@link #stopAfterBatchInFlight} waits for the one running to end and keeps any later one from
 * starting (Spark has no commit for such a batch and replays it on restart).
 */
public final class BatchGate {

    private final ReentrantLock inFlight = new ReentrantLock();
    private boolean stopping;

    /**
     * Runs a batch unless the stream is stopping.
     *
     * @throws InterruptedException when the stream is stopping: the batch is left to the next run
     */
    public <T> T run(long batchId, Callable<T> batch) throws Exception {
        inFlight.lockInterruptibly();
        try {
            if (stopping) {
                // Waiting for query.stop()'s interrupt instead can wait forever when Spark's own code swallows it.
                throw new InterruptedException("the stream is stopping; batch " + batchId + " is left to the next run");
            }
            return batch.call();
        } finally {
            inFlight.unlock();
        }
    }

    /** Waits for the batch in flight, if any, and refuses later ones. */
    public void stopAfterBatchInFlight() {
        inFlight.lock();
        try {
            stopping = true;
        } finally {
            inFlight.unlock();
        }
    }
}
