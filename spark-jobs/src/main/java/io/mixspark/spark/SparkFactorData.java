package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.sdp.FactorData;
import io.mixspark.sdp.FactorMove;
import io.mixspark.sdp.FactorPartition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The Burer-Monteiro factor partitioned with the rows: an RDD of {@link FactorPartition}s, one per
 * cached data block. Each update is one Spark job: the move is broadcast, every partition is
 * moved and cached, and the summaries meet in {@code treeAggregate}. The new RDD is
 * checkpointed locally (in the executors' block stores) so its lineage stays one step long over
 * thousands of iterations, and the previous one is released. The price of local checkpoints: a
 * lost executor fails the solve instead of recomputing the factor.
 */
public final class SparkFactorData implements FactorData {

    private final JavaRDD<DataBlock> blocks;
    private final int d;
    private final int depth;
    private JavaRDD<FactorPartition> partitions;
    private JavaRDD<? extends FactorMove.Moved<?>> cached;

    /** @param blocks cached data blocks (see {@link SparkBlockData}) */
    public SparkFactorData(JavaRDD<DataBlock> blocks, int d, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        }
        this.blocks = blocks;
        this.d = d;
        this.depth = depth;
        this.partitions = blocks.map(FactorPartition::raw);
    }

    @Override
    public <S> S update(FactorMove<S> move) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<FactorMove<S>> pass = sc.broadcast(move);
        JavaRDD<FactorMove.Moved<S>> moved = partitions.map(p -> pass.value().move(p))
                .persist(StorageLevel.MEMORY_AND_DISK());
        moved.rdd().localCheckpoint();
        S summary;
        try {
            summary = moved.treeAggregate(move.zero(),
                    (acc, m) -> pass.value().merge(acc, m.summary()),
                    (left, right) -> pass.value().merge(left, right),
                    depth);
        } catch (RuntimeException e) {
            moved.unpersist(false);
            throw e;
        } finally {
            // Not destroy(): the checkpointed RDD still holds the closure, and tasks built from it
            // serialise the broadcast handle (never its value, which no task reads again).
            pass.unpersist(false);
        }
        release();
        cached = moved;
        partitions = moved.map(FactorMove.Moved::partition);
        return summary;
    }

    @Override
    public <S> S inspect(FactorMove<S> move) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<FactorMove<S>> pass = sc.broadcast(move);
        try {
            return partitions.treeAggregate(move.zero(),
                    (acc, p) -> pass.value().merge(acc, pass.value().move(p).summary()),
                    (left, right) -> pass.value().merge(left, right),
                    depth);
        } finally {
            pass.destroy();
        }
    }

    /** The current partitions, for reading labels after a solve. */
    public JavaRDD<FactorPartition> partitions() {
        return partitions;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        return SparkBlockData.aggregate(blocks, aggregator, depth);
    }

    private void release() {
        if (cached != null) {
            cached.unpersist(false);
            cached = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
