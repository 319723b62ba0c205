package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.MixtureData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows packed into cached row-major blocks on the executors. Every pass of a fit is one Spark
 * job: the pass (and the model inside it) is broadcast, each partition folds its blocks, and
 * partial results meet in {@code treeAggregate}.
 */
public final class SparkMixtureData implements MixtureData, AutoCloseable {

    /** Depth of the aggregation tree (Spark MLlib's default). */
    public static final int DEFAULT_AGGREGATION_DEPTH = 2;

    private final JavaRDD<DataBlock> blocks;
    private final int d;
    private final int depth;

    /**
     * @param blocks packed blocks; persisted here if not persisted already, and unpersisted by
     *               {@link #close()} only in that case
     */
    public SparkMixtureData(JavaRDD<DataBlock> blocks, int d, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        }
        this.ownsCache = blocks.getStorageLevel().equals(StorageLevel.NONE());
        this.blocks = ownsCache ? blocks.persist(StorageLevel.MEMORY_AND_DISK()) : blocks;
        this.d = d;
        this.depth = depth;
    }

    private final boolean ownsCache;

    public JavaRDD<DataBlock> blocks() {
        return blocks;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        return aggregate(blocks, aggregator, depth);
    }

    /** One pass over any RDD of blocks: the pass is broadcast, partitions fold, results meet in a tree. */
    static <A> A aggregate(JavaRDD<DataBlock> blocks, BlockAggregator<A> aggregator, int depth) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<BlockAggregator<A>> pass = sc.broadcast(aggregator);
        try {
            return blocks.treeAggregate(aggregator.zero(),
                    (acc, block) -> pass.value().add(acc, block),
                    (left, right) -> pass.value().merge(left, right),
                    depth);
        } finally {
            pass.destroy();
        }
    }

    @Override
    public void close() {
        if (ownsCache) {
            blocks.unpersist(false);
        }
    }
}
