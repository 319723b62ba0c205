package io.mixspark.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs independent computations that each make their own passes over the same data so that one
 * pass over the blocks serves all of them. Each computation runs in a thread of its own against a
 * view of the data whose {@code aggregate} waits until every computation still running has asked
 * for its next pass (or finished); then one {@link CompositePass} of all the passes asked for runs
 * (a round), and each computation goes on with its own result. A computation gets the result it
 * would get alone, and a grid of fits costs one pass per round instead of one per fit per round;
 * computations that finish or fail simply stop asking.
 *
 * <p>When the passes of a round together hold more than {@code maxBatchBytes} of accumulators
 * ({@link BlockAggregator#accumulatorBytes()}), the round runs them in several composite passes,
 * each within the budget (one pass alone may exceed it), so that no task and no driver-side
 * merge holds the statistics of the whole grid at once.
 */
public final class BatchedPasses {

    /** Accumulator bytes one composite pass may carry: far above typical grids, far below a task's heap. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 64L << 20;

    /** What a computation returned, or the exception or error that ended it. */
    public record Outcome<T>(T value, Throwable failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * @param outcomes one per computation, in their order
     * @param rounds   rounds run: the most passes any computation asked for
     * @param passes   composite passes run over the data (more than rounds when the budget split some)
     */
    public record Run<T>(List<Outcome<T>> outcomes, int rounds, int passes) {
    }

    private final BlockData data;
    private final long maxBatchBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roundReady = lock.newCondition();
    private final Condition delivered = lock.newCondition();
    /** Computations neither waiting for a pass nor finished. */
    private int running;
    private List<Request<?>> pending = new ArrayList<>();
    private int rounds;
    private int passes;

    private BatchedPasses(BlockData data, long maxBatchBytes) {
        this.data = data;
        this.maxBatchBytes = maxBatchBytes;
    }

    /**
     * Runs every computation to its end, each against its own view of {@code data}, batching
     * their passes as described above; the calling thread runs the passes.
     */
    public static <T> Run<T> run(BlockData data, List<? extends Function<BlockData, T>> computations,
                                 long maxBatchBytes) {
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatchBytes must be >= 1, got " + maxBatchBytes);
        }
        return new BatchedPasses(data, maxBatchBytes).runAll(computations);
    }

    private <T> Run<T> runAll(List<? extends Function<BlockData, T>> computations) {
        int n = computations.size();
        List<Outcome<T>> outcomes = new ArrayList<>(java.util.Collections.nCopies(n, null));
        List<Thread> threads = new ArrayList<>(n);
        running = n;
        for (int i = 0; i < n; i++) {
            int index = i;
            Function<BlockData, T> computation = computations.get(i);
            Thread thread = new Thread(() -> outcomes.set(index, compute(computation, new View(index))),
                    "mixspark-batched-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        coordinate();
        for (Thread thread : threads) {
            joinUninterruptibly(thread);
        }
        return new Run<>(List.copyOf(outcomes), rounds, passes);
    }

    private <T> Outcome<T> compute(Function<BlockData, T> computation, BlockData view) {
        try {
            return new Outcome<>(computation.apply(view), null);
        } catch (Throwable t) {
            return new Outcome<>(null, t);
        } finally {
            lock.lock();
            try {
                running--;
                if (running == 0) {
                    roundReady.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs rounds until every computation has finished. */
    private void coordinate() {
        lock.lock();
        try {
            while (true) {
                while (running > 0) {
                    roundReady.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return;
                }
                List<Request<?>> round = pending;
                pending = new ArrayList<>();
                lock.unlock();
                try {
                    runRound(round);
                } finally {
                    lock.lock();
                }
                for (Request<?> request : round) {
                    request.done = true;
                }
                running += round.size();
                delivered.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void runRound(List<Request<?>> round) {
        rounds++;
        round.sort(Comparator.comparingInt(r -> r.computation));
        List<Request<?>> chunk = new ArrayList<>();
        long bytes = 0;
        for (Request<?> request : round) {
            long size = request.pass.accumulatorBytes();
            if (!chunk.isEmpty() && bytes + size > maxBatchBytes) {
                runPass(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(request);
            bytes += size;
        }
        runPass(chunk);
    }

    private void runPass(List<Request<?>> chunk) {
        passes++;
        try {
            Object[] results = data.aggregate(new CompositePass(chunk.stream().map(r -> r.pass).toList()));
            for (int i = 0; i < chunk.size(); i++) {
                chunk.get(i).result = results[i];
            }
        } catch (Throwable t) {
            for (Request<?> request : chunk) {
                request.failure = t;
            }
        }
    }

    private Object await(Request<?> request) {
        lock.lock();
        try {
            pending.add(request);
            running--;
            if (running == 0) {
                roundReady.signal();
            }
            while (!request.done) {
                delivered.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (request.failure instanceof RuntimeException e) {
            throw e;
        }
        if (request.failure instanceof Error e) {
            throw e;
        }
        if (request.failure != null) {
            throw new IllegalStateException("a batched pass failed", request.failure);
        }
        return request.result;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass a computation waits for. */
    private static final class Request<A> {
        final int computation;
        final BlockAggregator<A> pass;
        Object result;
        Throwable failure;
        boolean done;

        Request(int computation, BlockAggregator<A> pass) {
            this.computation = computation;
            this.pass = pass;
        }
    }

    /** The data as one computation sees it: each pass waits for its round. */
    private final class View implements BlockData {
        private final int computation;

        View(int computation) {
            this.computation = computation;
        }

        @Override
        public int dimension() {
            return data.dimension();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A aggregate(BlockAggregator<A> aggregator) {
            return (A) await(new Request<>(computation, aggregator));
        }
    }
}
