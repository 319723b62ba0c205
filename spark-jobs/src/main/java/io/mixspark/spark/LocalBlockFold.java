package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Cached blocks held in the driver's memory in local mode, where the driver is the only JVM: each
 * pass folds them in the driver's own threads instead of running a Spark job, which at small sizes
 * costs many times the pass itself (docs/PERFORMANCE.md, "Fixed cost per iteration").
 *
 * <p>It does what a flat Spark pass does, in the same order, so the result is the same to the bit
 * when the Spark pass is one flat job (few partitions); when Spark's pass would be a
 * {@code treeAggregate} ({@link SparkBlockData#treeAddsStage}), whose merge order is Spark's, the two
 * are equal up to rounding. Each partition is folded by one worker, block after block, with its own
 * copy of the pass (Spark deserialises the pass once per task, so passes may keep per-copy caches),
 * and the partitions' results are merged in partition order as soon as every earlier one is in
 * ({@link OrderedMerge}), so few are held at a time. Up to one worker per core of the
 * local master, never more than there are partitions to fold; the calling thread is one of them.
 *
 * <p>A failure in a block pass is rethrown as it was thrown (the first failing partition's, in
 * partition order), after the other workers have stopped. Interrupting the calling thread stops
 * the workers at their next block and throws {@link InterruptedException}, as Spark's
 * {@code runJob} does.
 */
final class LocalBlockFold implements AutoCloseable {

    /**
     * The largest share of the driver's heap the blocks may take: they live outside Spark's memory
     * accounting, beside whatever Spark itself caches, and the switch holds them twice for a moment.
     */
    static final double MAX_HEAP_SHARE = 0.25;

    /** Each partition's blocks, as the cache held them: {@link DataBlock}s, or {@link FloatBlock}s. */
    private final List<List<Object>> partitions;
    private final long bytes;
    private final int threads;
    /** threads - 1 workers; null with one thread. */
    private final ExecutorService pool;

    /**
     * @param partitions the blocks of each partition, in order
     * @param bytes      what they took in Spark's cache, for {@link #bytes()}
     * @param cores      task slots of the local master
     */
    LocalBlockFold(List<List<Object>> partitions, long bytes, int cores) {
        this.partitions = partitions;
        this.bytes = bytes;
        this.threads = Math.max(1, Math.min(cores, partitions.size()));
        AtomicInteger named = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread t = new Thread(runnable, "mixspark-local-fold-" + named.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Why blocks of this size must stay in Spark's cache, as a warning, or null when they may move:
     * more than {@link #MAX_HEAP_SHARE} of the heap, or more than {@code spark.driver.maxResultSize}
     * (0: no limit), which the job that collects them would exceed.
     */
    static String refusal(long bytes, long heap, long maxResultSize) {
        if (bytes > MAX_HEAP_SHARE * heap) {
            return String.format(Locale.ROOT, "the cached blocks take %d MiB, more than %.0f%% of the driver's %d MiB"
                    + " heap: passes run as Spark jobs instead of in the driver's threads (give the driver more"
                    + " memory to run them there, or set %s=false)", bytes >> 20, 100 * MAX_HEAP_SHARE, heap >> 20,
                    LocalFoldSetting.KEY);
        }
        if (maxResultSize > 0 && bytes > maxResultSize) {
            return String.format(Locale.ROOT, "the cached blocks take %d MiB, more than spark.driver.maxResultSize"
                    + " (%d MiB): passes run as Spark jobs instead of in the driver's threads (raise"
                    + " spark.driver.maxResultSize to run them there, or set %s=false)", bytes >> 20,
                    maxResultSize >> 20, LocalFoldSetting.KEY);
        }
        return null;
    }

    /** Bytes the blocks took in Spark's cache before they moved here. */
    long bytes() {
        return bytes;
    }

    int threads() {
        return threads;
    }

    /** Rows of every block, partition by partition. */
    long[] blockRows() {
        List<Long> rows = new ArrayList<>();
        for (List<Object> blocks : partitions) {
            for (Object b : blocks) {
                rows.add((long) (b instanceof FloatBlock f ? f.rows() : ((DataBlock) b).rows()));
            }
        }
        return rows.stream().mapToLong(Long::longValue).toArray();
    }

    /** Blocks per partition. */
    int[] blocksPerPartition() {
        return partitions.stream().mapToInt(List::size).toArray();
    }

    /**
     * One pass: every partition's blocks when {@code chosen} is null; otherwise only the partitions
     * with a non-null entry, each over the blocks at those local indexes (ascending), merged in
     * partition order as {@code SparkBlockData}'s pass over some blocks does.
     *
     * @param usage counts each partition's kernel, as Spark counts each task's
     */
    <A> A aggregate(BlockAggregator<A> aggregator, int[][] chosen, KernelUsage usage) {
        List<Integer> tasks = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            if (chosen == null || chosen[p] != null) {
                tasks.add(p);
            }
        }
        Run<A> run = new Run<>(aggregator, tasks, chosen);
        int workers = Math.min(threads, tasks.size());
        List<Future<?>> started = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            started.add(pool.submit(run::work));
        }
        run.work();
        boolean interrupted = Thread.interrupted();
        for (Future<?> f : started) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stop = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a local fold worker failed outside its pass", e.getCause());
                }
            }
        }
        if (interrupted || run.interrupted) {
            throw LocalBlockFold.<RuntimeException>sneaky(new InterruptedException(
                    "the pass over the cached blocks was interrupted"));
        }
        for (Throwable failure : run.failures) {
            if (failure != null) {
                throw LocalBlockFold.<RuntimeException>sneaky(failure);
            }
        }
        if (usage != null) {
            for (String kernel : run.kernels) {
                if (kernel != null) {
                    usage.add(kernel);
                }
            }
        }
        return run.merged.result();
    }

    /** The workers' shared state for one pass: the next task, the results merged so far, each task's failure. */
    private final class Run<A> {
        private final ByteBuffer serialized;
        private final ClassLoader loader;
        private final List<Integer> tasks;
        private final int[][] chosen;
        private final AtomicInteger next = new AtomicInteger();
        private final OrderedMerge<A> merged;
        private final String[] kernels;
        private final Throwable[] failures;
        private volatile boolean stop;
        private volatile boolean interrupted;

        Run(BlockAggregator<A> aggregator, List<Integer> tasks, int[][] chosen) {
            this.serialized = serializer().serialize(aggregator, anyRef());
            this.loader = contextLoader();
            this.tasks = tasks;
            this.chosen = chosen;
            this.merged = new OrderedMerge<>(aggregator, tasks.size());
            this.kernels = new String[tasks.size()];
            this.failures = new Throwable[tasks.size()];
        }

        /** Takes tasks until none is left or the pass stops; on the calling thread, an interrupt stops it. */
        void work() {
            int t;
            while (!stop && (t = next.getAndIncrement()) < tasks.size()) {
                try {
                    fold(t);
                } catch (Throwable e) {
                    failures[t] = e;
                    stop = true;
                }
            }
        }

        private void fold(int t) {
            BlockAggregator<A> pass = serializer().deserialize(serialized.duplicate(), loader, anyRef());
            kernels[t] = pass.kernelUsed();
            A acc = pass.zero();
            List<Object> blocks = partitions.get(tasks.get(t));
            int[] wanted = chosen == null ? null : chosen[tasks.get(t)];
            int count = wanted == null ? blocks.size() : wanted.length;
            for (int i = 0; i < count; i++) {
                if (stop) {
                    return;
                }
                if (Thread.currentThread().isInterrupted()) {
                    interrupted = true;
                    stop = true;
                    return;
                }
                Object block = blocks.get(wanted == null ? i : wanted[i]);
                acc = block instanceof FloatBlock f ? pass.add(acc, f) : pass.add(acc, (DataBlock) block);
            }
            merged.offer(t, acc);
        }
    }

    /** Spark's closure serialiser: the pass is copied exactly as it would travel in a task. */
    private static SerializerInstance serializer() {
        return SparkEnv.get().closureSerializer().newInstance();
    }

    private static ClassLoader contextLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : LocalBlockFold.class.getClassLoader();
    }

    @SuppressWarnings("unchecked")
    private static <A> ClassTag<A> anyRef() {
        return (ClassTag<A>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
