package io.mixspark.sdp;

import io.mixspark.data.BlockData;

/**
 * Rows held as {@link FactorPartition}s where they live (in memory, or in a cached Spark RDD),
 * so that the factor U of the Burer-Monteiro solver stays partitioned with the rows of X and
 * only d x r and r x r sums reach the driver. The first partitions are
 * {@link FactorPartition#raw raw}.
 */
public interface FactorData extends BlockData, AutoCloseable {

    /** Replaces every partition by the move's result; returns the merged summaries. */
    <S> S update(FactorMove<S> move);

    /** Runs the move for its summary only; the partitions stay as they are. */
    <S> S inspect(FactorMove<S> move);

    @Override
    void close();
}
