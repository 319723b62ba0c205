package io.mixspark.data;

/** Rows in blocks, in memory or in a cached RDD: a fit only ever aggregates over the blocks. */
public interface BlockData {

    /** Number of columns of every row. */
    int dimension();

    /** Runs one pass over every block. */
    <A> A aggregate(BlockAggregator<A> aggregator);
}
