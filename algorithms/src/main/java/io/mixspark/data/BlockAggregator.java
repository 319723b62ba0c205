package io.mixspark.data;

import java.io.Serializable;

/**
 * A pass over data blocks that folds them into a mergeable value: the shape of every EM, k-means
 * and sampling pass, whether the blocks sit in memory or in a cached Spark RDD.
 *
 * <p>{@link #add} may update and return its accumulator; {@link #merge} must be associative
 * and have {@link #zero()} as its identity, so the result does not depend on how the blocks
 * are partitioned or in which order partial results are combined.
 */
public interface BlockAggregator<A> extends Serializable {

    A zero();

    A add(A accumulator, DataBlock block);

    /** Folds a float block; passes with a float path override this to skip the expansion. */
    default A add(A accumulator, FloatBlock block) {
        return add(accumulator, block.toDataBlock());
    }

    A merge(A left, A right);

    /**
     * The likelihood kernel this pass runs with in this JVM (resolving it if need be), or null for
     * passes that use none; Spark collects it per task to report which kernels actually ran.
     */
    default String kernelUsed() {
        return null;
    }

    /**
     * About how many bytes the accumulator of this pass takes, so that a batch of passes
     * ({@link BatchedPasses}) can keep the accumulators of one task within a budget; 0 when small
     * or unknown.
     */
    default long accumulatorBytes() {
        return 0;
    }
}
