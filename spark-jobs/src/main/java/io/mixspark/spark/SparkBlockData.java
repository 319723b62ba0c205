package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.BlockStorage;
import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SizeEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Rows packed into cached row-major blocks on the executors. Every pass of a fit is one Spark
 * job: the pass (and the model inside it) travels in the tasks, or in a broadcast when it is
 * large; each partition folds its blocks, and partial results meet on the driver, through
 * {@code treeAggregate} when there are enough partitions for its extra stage to pay off. With
 * {@link BlockStorage#FLOAT} the cache holds {@link FloatBlock}s, half the bytes, which passes
 * read directly or expand to double a block at a time.
 *
 * <p>In local mode the driver is the only JVM, and a Spark job costs far more than a pass over few
 * rows: once a first pass over every block has filled the cache, the second moves the blocks into
 * the driver's memory, and it and every later pass fold them in its threads ({@link LocalBlockFold}),
 * merging in partition order: the same bits as the Spark pass when that is one flat job, equal up
 * to rounding when it is a {@code treeAggregate}. Spark conf {@value LocalFoldSetting#KEY} = false
 * keeps every pass a Spark job.
 *
 * <p>With executor JVMs, from the second pass on, passes are served by resident tasks that stay on
 * their executors for a run of passes ({@link ResidentPasses}): one Spark job for many passes, the
 * same bits as the flat Spark pass. They are released before any other job over these blocks
 * ({@link #blocks()}, the row counts, a pass over some blocks). Spark conf
 * {@value ResidentPassSetting#KEY} = false keeps every pass a Spark job.
 */
public final class SparkBlockData implements BlockData, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkBlockData.class);

    /** Depth of the aggregation tree (Spark MLlib's default). */
    public static final int DEFAULT_AGGREGATION_DEPTH = 2;

    /** The packed blocks (as FloatBlocks with FLOAT storage) with their lineage, which the cache is built from. */
    private final JavaRDD<?> lineage;
    private volatile JavaRDD<DataBlock> blocks;
    private volatile JavaRDD<?> cache;
    private final boolean ownsCache;
    /** Times the cache was built again after it lost blocks with an executor. */
    private int rebuilds;
    private final BlockStorage storage;
    private final int d;
    private final int depth;
    private final KernelUsage kernelsUsed = new KernelUsage();
    /** Rows per block, by global block index (partition by partition), counted by the first call that needs them. */
    private long[] blockRows;
    /** The global index of each partition's first block, and the block count after the last. */
    private int[] partitionStarts;
    /** Whether passes may move to the driver's threads once the cache is filled (local mode, our own cache). */
    private boolean foldWanted;
    /**
     * Whether a pass over every block has filled the cache: the blocks move at the start of the next
     * one, so data passed over once (a model scored once) never pays for the move.
     */
    private volatile boolean filled;
    /** The blocks in the driver's memory once passes run there; the Spark cache is then released. */
    private volatile LocalBlockFold local;
    /** Passes served by resident tasks on executor JVMs once the cache is filled; null when not wanted. */
    private final ResidentPasses resident;
    private final SparkContext context;
    /** Hears why passes stay on Spark when the fold was wanted. */
    private Consumer<String> warnings = message -> LOG.warn(message);
    /** Collects every partition of the filled cache when the blocks move into the driver's memory. */
    BlockCollector blockCollector = cached -> cached.collectPartitions(
            java.util.stream.IntStream.range(0, cached.getNumPartitions()).toArray());

    /** How the blocks are collected; tests make it fail as a too-large result or a full heap would. */
    interface BlockCollector {
        List<Object>[] collect(JavaRDD<Object> cached);
    }

    /**
     * @param blocks packed blocks; persisted here if not persisted already (through an RDD of our
     *               own without lineage, leaving the caller's as it was), and unpersisted by
     *               {@link #close()} only in that case
     */
    public SparkBlockData(JavaRDD<DataBlock> blocks, int d, int depth) {
        this(blocks, d, depth, BlockStorage.DOUBLE);
    }

    /**
     * @param packed  packed blocks; with DOUBLE storage as in the other constructor, with FLOAT
     *                converted, and only the float blocks are cached (and unpersisted by close)
     */
    public SparkBlockData(JavaRDD<DataBlock> packed, int d, int depth, BlockStorage storage) {
        this(packed, d, depth, storage, LocalFoldSetting.of(packed.context()));
    }

    /**
     * @param localFold {@link LocalFoldSetting#AUTO}: in local mode, once the first pass over every
     *                  block has filled the cache, the second moves the blocks to the driver's memory,
     *                  and it and later passes fold them in its threads ({@link LocalBlockFold});
     *                  only when this data owns its cache, and the blocks fit in a safe share of the heap
     */
    public SparkBlockData(JavaRDD<DataBlock> packed, int d, int depth, BlockStorage storage,
                          LocalFoldSetting localFold) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        }
        this.storage = storage;
        if (storage == BlockStorage.FLOAT) {
            this.ownsCache = true;
            this.lineage = packed.map(FloatBlock::of);
        } else {
            this.ownsCache = packed.getStorageLevel().equals(StorageLevel.NONE());
            this.lineage = packed;
        }
        if (ownsCache) {
            buildCache();
        } else {
            this.blocks = packed;
            this.cache = packed;
        }
        this.d = d;
        this.depth = depth;
        this.context = packed.context();
        this.foldWanted = localFold == LocalFoldSetting.AUTO && ownsCache
                && LocalFoldSetting.localCores(context.master()) > 0;
        this.resident = LocalFoldSetting.localCores(context.master()) == 0
                && ResidentPassSetting.of(context) == ResidentPassSetting.AUTO
                ? new ResidentPasses(context, message -> warnings.accept(message)) : null;
        packed.context().register(kernelsUsed, "mixspark kernels used");
    }

    /**
     * Caches the lineage's blocks in an RDD of our own whose lineage goes once its first pass has
     * filled it ({@code localCheckpoint}): every task of every pass would otherwise carry the
     * lineage, for a DataFrame its plans and closures, which outweigh the pass itself
     * (docs/PERFORMANCE.md, "Fixed cost per iteration"). Blocks lost with an executor cannot be
     * recomputed from it; a pass that meets one builds the cache again from the lineage
     * ({@link #rebuiltOnLoss}).
     */
    @SuppressWarnings("unchecked")
    private void buildCache() {
        JavaRDD<Object> cached = ((JavaRDD<Object>) lineage).map(block -> block)
                .persist(StorageLevel.MEMORY_AND_DISK());
        cached.rdd().localCheckpoint();
        cache = cached;
        blocks = storage == BlockStorage.FLOAT ? ((JavaRDD<FloatBlock>) (JavaRDD<?>) cached).map(FloatBlock::toDataBlock)
                : (JavaRDD<DataBlock>) (JavaRDD<?>) cached;
    }

    /**
     * Runs a pass; when it fails because cached blocks went with a lost executor (Spark's
     * {@code CHECKPOINT_RDD_BLOCK_ID_NOT_FOUND}), builds the cache again from the lineage and
     * runs it once more. The pass's result does not depend on where the blocks live.
     */
    private <R> R rebuiltOnLoss(java.util.function.Supplier<R> pass) {
        try {
            return pass.get();
        } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
            if (!ownsCache || !lostCachedBlock(e)) {
                throw SparkBlockData.<RuntimeException>unchecked(e);
            }
            synchronized (this) {
                releaseResident();
                if (resident != null) {
                    resident.cacheLostWithAnExecutor();
                }
                cache.unpersist(false);
                buildCache();
                rebuilds++;
                requireSameBlocks();
            }
            return pass.get();
        }
    }

    /**
     * Block indexes outlive a rebuild (mini-batch groups keep statistics per block), so the rebuilt
     * cache must hold the same blocks in the same places: it does when the input and its packing are
     * deterministic, and a changed input must fail rather than count rows twice or not at all.
     */
    private void requireSameBlocks() {
        if (blockRows == null) {
            return;
        }
        long[] before = blockRows;
        blockRows = null;
        long[] after = countBlockRows();
        if (!java.util.Arrays.equals(before, after)) {
            throw new IllegalStateException("the cached blocks were rebuilt from the input after an executor was lost,"
                    + " and they differ from the first build (" + after.length + " blocks of "
                    + java.util.Arrays.stream(after).sum() + " rows, before " + before.length + " blocks of "
                    + java.util.Arrays.stream(before).sum() + " rows): did the input change while the job ran?");
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E unchecked(Exception e) throws E {
        throw (E) e;
    }

    private static boolean lostCachedBlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("CHECKPOINT_RDD_BLOCK_ID_NOT_FOUND")) {
                return true;
            }
        }
        return false;
    }

    /** Times the cache was built again from its lineage after an executor took blocks of it away. */
    public synchronized int cacheRebuilds() {
        return rebuilds;
    }

    public BlockStorage storage() {
        return storage;
    }

    /**
     * Bytes the cached blocks take in memory and on disk, as Spark's block manager counts them (as
     * it counted them before they moved to the driver's threads, if they did).
     */
    public long cachedBytes() {
        LocalBlockFold folded = local;
        if (folded != null) {
            return folded.bytes();
        }
        for (var info : cache.context().getRDDStorageInfo()) {
            if (info.id() == cache.id()) {
                return info.memSize() + info.diskSize();
            }
        }
        return 0;
    }

    /**
     * The tasks of this data's passes so far per likelihood kernel, as each executor ran them (for
     * example {@code {native-avx512=40, java=2}}); passes that use no kernel are not counted. Tasks
     * run, retries included ({@link KernelUsage}).
     */
    public Map<String, Long> kernelsUsed() {
        return kernelsUsed.value();
    }

    /**
     * The cached blocks as an RDD, for callers that partition other data with them: passes stay
     * Spark jobs from then on, and blocks already moved to the driver are cached again from the
     * lineage.
     */
    public synchronized JavaRDD<DataBlock> blocks() {
        foldWanted = false;
        releaseResident();
        LocalBlockFold folded = local;
        if (folded != null) {
            local = null;
            folded.close();
            buildCache();
        }
        return blocks;
    }

    /** Whether passes run in the driver's threads now ({@link LocalBlockFold}), rather than as Spark jobs. */
    public boolean foldsLocally() {
        return local != null;
    }

    /** Where to say why passes stay Spark jobs when they could have run in the driver (the log by default). */
    public SparkBlockData warnings(Consumer<String> sink) {
        this.warnings = sink;
        return this;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        if (filled && foldWanted) {
            foldLocally();
        }
        LocalBlockFold folded = local;
        if (folded != null) {
            return folded.aggregate(aggregator, null, kernelsUsed);
        }
        if (filled && resident != null) {
            A served = resident.aggregate(cache, aggregator, kernelsUsed);
            if (served != null) {
                return served;
            }
        }
        A result = rebuiltOnLoss(() -> aggregateCached(aggregator));
        filled = true;
        return result;
    }

    /**
     * Moves the filled cache into the driver's memory (one job collects it, then the cache is
     * released) when it fits: within {@link LocalBlockFold#MAX_HEAP_SHARE} of the heap and within
     * {@code spark.driver.maxResultSize}. Otherwise, or when the move fails (a result larger than
     * Spark estimated, a full heap), says why in a warning, keeps the cache, and passes stay jobs.
     */
    private synchronized void foldLocally() {
        if (!foldWanted) {
            return;
        }
        foldWanted = false;
        long bytes = cachedBytes();
        long heap = Runtime.getRuntime().maxMemory();
        long maxResult = context.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        String refusal = LocalBlockFold.refusal(bytes, heap, maxResult);
        if (refusal != null) {
            warnings.accept(refusal);
            return;
        }
        @SuppressWarnings("unchecked")
        JavaRDD<Object> cached = (JavaRDD<Object>) cache;
        LocalBlockFold moved;
        try {
            moved = new LocalBlockFold(java.util.Arrays.asList(blockCollector.collect(cached)), bytes,
                    LocalFoldSetting.localCores(context.master()));
        } catch (OutOfMemoryError e) {
            warnings.accept(moveFailed("out of memory: " + e.getMessage()));
            return;
        } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
            if (stoppedByCaller(e)) {
                throw SparkBlockData.<RuntimeException>unchecked(e);
            }
            warnings.accept(moveFailed(e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst()
                    .orElse(e.toString())));
            return;
        }
        blockRows = moved.blockRows();
        int[] perPartition = moved.blocksPerPartition();
        partitionStarts = new int[perPartition.length + 1];
        for (int p = 0; p < perPartition.length; p++) {
            partitionStarts[p + 1] = partitionStarts[p] + perPartition[p];
        }
        local = moved;
        cache.unpersist(false);
        LOG.info("Passes over {} cached blocks ({} bytes) run in {} driver threads from now on", blockRows.length,
                bytes, local.threads());
    }

    private static String moveFailed(String why) {
        return "the cached blocks could not move into the driver's memory (" + why + "): passes run as Spark jobs"
                + " instead of in the driver's threads";
    }

    /** An interrupt or a cancelled job stops the fit; a move that failed otherwise only keeps passes on Spark. */
    private static boolean stoppedByCaller(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || (t.getMessage() != null && t.getMessage().contains("cancelled"))) {
                return true;
            }
        }
        return false;
    }

    private <A> A aggregateCached(BlockAggregator<A> aggregator) {
        if (storage == BlockStorage.FLOAT) {
            @SuppressWarnings("unchecked")
            JavaRDD<FloatBlock> floats = (JavaRDD<FloatBlock>) cache;
            return fold(floats, aggregator, depth, MAX_PASS_BYTES_IN_TASK, kernelsUsed,
                    (pass, acc, block) -> pass.add(acc, block));
        }
        return fold(blocks, aggregator, depth, MAX_PASS_BYTES_IN_TASK, kernelsUsed,
                (pass, acc, block) -> pass.add(acc, block));
    }

    /**
     * Rows per block, numbering the blocks partition by partition in their order inside each; counted
     * in one job over the cache the first time.
     */
    @Override
    public synchronized long[] blockRows() {
        if (blockRows == null) {
            rebuiltOnLoss(this::countBlockRows);
        }
        return blockRows.clone();
    }

    /** Counts the rows of every block of the cache in one job; sets blockRows and partitionStarts. */
    private synchronized long[] countBlockRows() {
        releaseResident();
        List<long[]> perPartition = cache.mapPartitions(SparkBlockData::rowsOfBlocks).collect();
        partitionStarts = new int[perPartition.size() + 1];
        int blocks = 0;
        for (int p = 0; p < perPartition.size(); p++) {
            partitionStarts[p] = blocks;
            blocks += perPartition.get(p).length;
        }
        partitionStarts[perPartition.size()] = blocks;
        blockRows = new long[blocks];
        for (int p = 0; p < perPartition.size(); p++) {
            System.arraycopy(perPartition.get(p), 0, blockRows, partitionStarts[p], perPartition.get(p).length);
        }
        return blockRows.clone();
    }

    /** One partition's row count per block, as a single array. */
    private static java.util.Iterator<long[]> rowsOfBlocks(java.util.Iterator<?> blocks) {
        List<Long> rows = new ArrayList<>();
        while (blocks.hasNext()) {
            Object b = blocks.next();
            rows.add((long) (b instanceof FloatBlock f ? f.rows() : ((DataBlock) b).rows()));
        }
        return Collections.singletonList(rows.stream().mapToLong(Long::longValue).toArray()).iterator();
    }

    /**
     * A pass over the chosen blocks only: one job whose tasks run on the partitions that hold them
     * alone ({@code SparkContext.runJob} on those partitions), each folding its chosen blocks and
     * stepping over the rest of its cached blocks; the partitions' results merge in partition order,
     * so the result does not depend on which task finishes first.
     */
    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator, int[] blockIndexes) {
        blockRows();
        int[] sorted = BlockData.checkedIndexes(blockIndexes, blockRows.length);
        int partitions = partitionStarts.length - 1;
        int[][] local = new int[partitions][];
        List<Integer> chosen = new ArrayList<>();
        int from = 0;
        while (from < sorted.length) {
            int p = partitionOf(sorted[from]);
            int to = from;
            while (to < sorted.length && sorted[to] < partitionStarts[p + 1]) {
                to++;
            }
            local[p] = new int[to - from];
            for (int i = from; i < to; i++) {
                local[p][i - from] = sorted[i] - partitionStarts[p];
            }
            chosen.add(p);
            from = to;
        }
        if (chosen.isEmpty()) {
            return aggregator.zero();
        }
        LocalBlockFold folded = this.local;
        if (folded != null) {
            return folded.aggregate(aggregator, local, kernelsUsed);
        }
        releaseResident();
        return rebuiltOnLoss(() -> aggregateChosen(aggregator, chosen, local));
    }

    private <A> A aggregateChosen(BlockAggregator<A> aggregator, List<Integer> chosen, int[][] local) {
        if (storage == BlockStorage.FLOAT) {
            @SuppressWarnings("unchecked")
            JavaRDD<FloatBlock> floats = (JavaRDD<FloatBlock>) cache;
            return foldSome(floats, aggregator, chosen, local, (pass, acc, block) -> pass.add(acc, block));
        }
        return foldSome(blocks, aggregator, chosen, local, (pass, acc, block) -> pass.add(acc, block));
    }

    /** The partition holding a global block index. */
    private int partitionOf(int block) {
        int p = java.util.Arrays.binarySearch(partitionStarts, block);
        if (p < 0) {
            return -p - 2;
        }
        // Empty partitions share their start with the next one: take the last partition starting here.
        while (p + 1 < partitionStarts.length - 1 && partitionStarts[p + 1] == block) {
            p++;
        }
        return p;
    }

    private <A, T> A foldSome(JavaRDD<T> rdd, BlockAggregator<A> aggregator, List<Integer> partitions,
                              int[][] local, Fold<A, T> fold) {
        Broadcast<BlockAggregator<A>> broadcast = SizeEstimator.estimate(aggregator) > MAX_PASS_BYTES_IN_TASK
                ? JavaSparkContext.fromSparkContext(rdd.context()).broadcast(aggregator) : null;
        try {
            FoldSome<A, T> task = new FoldSome<>(new FoldPartition<>(broadcast == null ? aggregator : null, broadcast,
                    fold, kernelsUsed), local);
            InOrder<A> results = new InOrder<>(aggregator, partitions.size());
            List<Object> ids = new ArrayList<>(partitions);
            rdd.context().runJob(rdd.rdd(), task, CollectionConverters.asScala(ids).toSeq(), results, anyRef());
            return results.merged();
        } finally {
            if (broadcast != null) {
                broadcast.destroy();
            }
        }
    }

    /** Folds the chosen blocks of the task's partition (local indexes, ascending). */
    private static final class FoldSome<A, T> extends AbstractFunction2<TaskContext, Iterator<T>, A>
            implements Serializable {

        private static final long serialVersionUID = 1L;

        private final FoldPartition<A, T> all;
        private final int[][] local;

        FoldSome(FoldPartition<A, T> all, int[][] local) {
            this.all = all;
            this.local = local;
        }

        @Override
        public A apply(TaskContext context, Iterator<T> blocks) {
            int[] wanted = local[context.partitionId()];
            java.util.Iterator<T> source = CollectionConverters.asJava(blocks);
            java.util.Iterator<T> chosen = new java.util.Iterator<>() {
                private int index;
                private int next;

                @Override
                public boolean hasNext() {
                    return next < wanted.length;
                }

                @Override
                public T next() {
                    while (index < wanted[next]) {
                        source.next();
                        index++;
                    }
                    index++;
                    next++;
                    return source.next();
                }
            };
            return all.foldAll(chosen);
        }
    }

    /**
     * Merges each task's result at its position among the job's partitions, in partition order as
     * the completed prefix grows ({@link OrderedMerge}), the order {@link LocalBlockFold} merges in.
     */
    private static final class InOrder<A> extends AbstractFunction2<Object, A, BoxedUnit> {

        private final OrderedMerge<A> merge;

        InOrder(BlockAggregator<A> pass, int size) {
            this.merge = new OrderedMerge<>(pass, size);
        }

        @Override
        public BoxedUnit apply(Object position, A result) {
            merge.offer((Integer) position, result);
            return BoxedUnit.UNIT;
        }

        A merged() {
            return merge.result();
        }
    }

    /**
     * One pass over any RDD of blocks: each partition folds its blocks, and the partial results
     * meet on the driver in one job, or in a {@code treeAggregate} when its extra stage pays off.
     */
    static <A> A aggregate(JavaRDD<DataBlock> blocks, BlockAggregator<A> aggregator, int depth) {
        return aggregate(blocks, aggregator, depth, MAX_PASS_BYTES_IN_TASK);
    }

    /**
     * One pass over blocks that are read once (a micro-batch, a table scored once), without caching
     * them: each partition is packed and folded by the same task, and the partial results are merged
     * on the driver in partition order, so the same partitions give the same sums, bit for bit (a
     * replayed micro-batch must give the model the uninterrupted run gave).
     */
    public static <A> A onePass(JavaRDD<DataBlock> blocks, BlockAggregator<A> aggregator) {
        java.util.List<A> partials = blocks.mapPartitions(part -> {
            A acc = aggregator.zero();
            while (part.hasNext()) {
                acc = aggregator.add(acc, part.next());
            }
            return Collections.singletonList(acc).iterator();
        }).collect();
        A merged = aggregator.zero();
        for (A partial : partials) {
            merged = aggregator.merge(merged, partial);
        }
        return merged;
    }

    /** Like {@link #aggregate(JavaRDD, BlockAggregator, int)}, counting each task's kernel in {@code usage}. */
    static <A> A aggregate(JavaRDD<DataBlock> blocks, BlockAggregator<A> aggregator, int depth, KernelUsage usage) {
        return fold(blocks, aggregator, depth, MAX_PASS_BYTES_IN_TASK, usage,
                (pass, acc, block) -> pass.add(acc, block));
    }

    /**
     * A pass up to this size (Spark's estimate of its heap size) travels inside the task, whose
     * binary Spark broadcasts anyway; a larger one is broadcast once, so each executor
     * deserialises it once rather than once per task. The limit lies well above the models of
     * typical fits (docs/PERFORMANCE.md, "Fixed cost per iteration", gives a size) and well below
     * the 1000 KiB from which Spark warns about task binaries.
     */
    static final long MAX_PASS_BYTES_IN_TASK = 256 * 1024;

    /** Like {@link #aggregate(JavaRDD, BlockAggregator, int)}, with the size limit above as a parameter. */
    static <A> A aggregate(JavaRDD<DataBlock> blocks, BlockAggregator<A> aggregator, int depth, long maxBytesInTask) {
        return fold(blocks, aggregator, depth, maxBytesInTask, null, (pass, acc, block) -> pass.add(acc, block));
    }

    /** How a pass folds one element of type T. */
    interface Fold<A, T> extends Serializable {
        A add(BlockAggregator<A> pass, A accumulator, T block);
    }

    /** @param usage counts each task's kernel, or null */
    private static <A, T> A fold(JavaRDD<T> rdd, BlockAggregator<A> aggregator, int depth, long maxBytesInTask,
                                 KernelUsage usage, Fold<A, T> fold) {
        Broadcast<BlockAggregator<A>> broadcast = SizeEstimator.estimate(aggregator) > maxBytesInTask
                ? JavaSparkContext.fromSparkContext(rdd.context()).broadcast(aggregator) : null;
        FoldPartition<A, T> partition = new FoldPartition<>(broadcast == null ? aggregator : null, broadcast, fold,
                usage);
        try {
            if (treeAddsStage(rdd.getNumPartitions(), depth)) {
                // Each partition folded by one task (which reports its kernel), then the tree of merges.
                return rdd.mapPartitions(blocks -> Collections.singletonList(partition.foldAll(blocks)).iterator())
                        .treeAggregate(aggregator.zero(), (left, right) -> partition.pass().merge(left, right),
                                (left, right) -> partition.pass().merge(left, right), depth);
            }
            // The job treeAggregate would run, without its closures: Spark's closure cleaner reads
            // the bytecode of the class that declares a Scala closure (RDD, a large class) on every call.
            InOrder<A> results = new InOrder<>(aggregator, rdd.getNumPartitions());
            rdd.context().runJob(rdd.rdd(), partition, results, anyRef());
            return results.merged();
        } finally {
            if (broadcast != null) {
                broadcast.destroy();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <A> ClassTag<A> anyRef() {
        return (ClassTag<A>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    }

    /**
     * Whether {@code treeAggregate} at this depth adds a stage before the driver: the rule of
     * Spark's {@code RDD.treeAggregate}, which stops when another level would not save time.
     */
    static boolean treeAddsStage(int partitions, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        return partitions > scale + Math.ceil((double) partitions / scale);
    }

    /** Folds one partition's blocks with the pass, which comes in the task or in a broadcast. */
    static final class FoldPartition<A, T> extends AbstractFunction2<TaskContext, Iterator<T>, A>
            implements Serializable {

        private static final long serialVersionUID = 1L;

        private final BlockAggregator<A> pass;
        private final Broadcast<BlockAggregator<A>> broadcast;
        private final Fold<A, T> fold;
        private final KernelUsage usage;

        FoldPartition(BlockAggregator<A> pass, Broadcast<BlockAggregator<A>> broadcast, Fold<A, T> fold,
                      KernelUsage usage) {
            this.pass = pass;
            this.broadcast = broadcast;
            this.fold = fold;
            this.usage = usage;
        }

        BlockAggregator<A> pass() {
            return pass != null ? pass : broadcast.value();
        }

        @Override
        public A apply(TaskContext context, Iterator<T> blocks) {
            return foldAll(CollectionConverters.asJava(blocks));
        }

        /** Folds a partition's blocks; the kernel is resolved first, so a missing one fails the task at once. */
        A foldAll(java.util.Iterator<T> blocks) {
            BlockAggregator<A> p = pass();
            String kernel = p.kernelUsed();
            A acc = p.zero();
            while (blocks.hasNext()) {
                acc = fold.add(p, acc, blocks.next());
            }
            if (usage != null && kernel != null) {
                usage.add(kernel);
            }
            return acc;
        }
    }

    /** Lets resident tasks finish before another job over the blocks, which would otherwise wait for their slots. */
    private void releaseResident() {
        if (resident != null) {
            resident.release();
        }
    }

    /** Passes over these blocks that resident tasks served ({@link ResidentPasses}) rather than Spark jobs. */
    public long residentPassesServed() {
        return resident == null ? 0 : resident.served();
    }

    @Override
    public synchronized void close() {
        LocalBlockFold folded = local;
        local = null;
        if (folded != null) {
            folded.close();
        }
        if (resident != null) {
            resident.close();
        }
        if (ownsCache) {
            cache.unpersist(false);
        }
    }
}
