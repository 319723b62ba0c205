package io.mixspark.data;

/** Rows to fit a mixture to, wherever they live: the fitter only ever aggregates over blocks. */
public interface MixtureData {

    /** Number of columns of every row. */
    int dimension();

    /** Runs one pass over every block. */
    <A> A aggregate(BlockAggregator<A> aggregator);
}
