package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockStorage;
import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.data.MixtureData;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows packed into cached row-major blocks on the executors. Every pass of a fit is one Spark
 * job: the pass (and the model inside it) is broadcast, each partition folds its blocks, and
 * partial results meet in {@code treeAggregate}. With {@link BlockStorage#FLOAT} the cache holds
 * {@link FloatBlock}s, half the bytes, which passes read directly or expand to double a block at a
 * time.
 */
public final class SparkMixtureData implements MixtureData, AutoCloseable {

    /** Depth of the aggregation tree (Spark MLlib's default). */
    public static final int DEFAULT_AGGREGATION_DEPTH = 2;

    private final JavaRDD<DataBlock> blocks;
    private final JavaRDD<?> cache;
    private final boolean ownsCache;
    private final BlockStorage storage;
    private final int d;
    private final int depth;

    /**
     * @param blocks packed blocks; persisted here if not persisted already, and unpersisted by
     *               {@link #close()} only in that case
     */
    public SparkMixtureData(JavaRDD<DataBlock> blocks, int d, int depth) {
        this(blocks, d, depth, BlockStorage.DOUBLE);
    }

    /**
     * @param packed  packed blocks; with DOUBLE storage as in the other constructor, with FLOAT
     *                converted, and only the float blocks are cached (and unpersisted by close)
     */
    public SparkMixtureData(JavaRDD<DataBlock> packed, int d, int depth, BlockStorage storage) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        }
        this.storage = storage;
        if (storage == BlockStorage.FLOAT) {
            JavaRDD<FloatBlock> floats = packed.map(FloatBlock::of).persist(StorageLevel.MEMORY_AND_DISK());
            this.ownsCache = true;
            this.cache = floats;
            this.blocks = floats.map(FloatBlock::toDataBlock);
        } else {
            this.ownsCache = packed.getStorageLevel().equals(StorageLevel.NONE());
            this.blocks = ownsCache ? packed.persist(StorageLevel.MEMORY_AND_DISK()) : packed;
            this.cache = this.blocks;
        }
        this.d = d;
        this.depth = depth;
    }

    public BlockStorage storage() {
        return storage;
    }

    /** Bytes the cached blocks take in memory and on disk, as Spark's block manager counts them. */
    public long cachedBytes() {
        for (var info : cache.context().getRDDStorageInfo()) {
            if (info.id() == cache.id()) {
                return info.memSize() + info.diskSize();
            }
        }
        return 0;
    }

    public JavaRDD<DataBlock> blocks() {
        return blocks;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        if (storage == BlockStorage.FLOAT) {
            @SuppressWarnings("unchecked")
            JavaRDD<FloatBlock> floats = (JavaRDD<FloatBlock>) cache;
            return fold(floats, aggregator, depth, (pass, acc, block) -> pass.add(acc, block));
        }
        return aggregate(blocks, aggregator, depth);
    }

    /** One pass over any RDD of blocks: the pass is broadcast, partitions fold, results meet in a tree. */
    static <A> A aggregate(JavaRDD<DataBlock> blocks, BlockAggregator<A> aggregator, int depth) {
        return fold(blocks, aggregator, depth, (pass, acc, block) -> pass.add(acc, block));
    }

    /** How a pass folds one element of type T. */
    private interface Fold<A, T> extends Serializable {
        A add(BlockAggregator<A> pass, A accumulator, T block);
    }

    private static <A, T> A fold(JavaRDD<T> rdd, BlockAggregator<A> aggregator, int depth, Fold<A, T> fold) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rdd.context());
        Broadcast<BlockAggregator<A>> pass = sc.broadcast(aggregator);
        try {
            return rdd.treeAggregate(aggregator.zero(),
                    (acc, block) -> fold.add(pass.value(), acc, block),
                    (left, right) -> pass.value().merge(left, right),
                    depth);
        } finally {
            pass.destroy();
        }
    }

    @Override
    public void close() {
        if (ownsCache) {
            cache.unpersist(false);
        }
    }
}
