package io.mixspark.data;

/** Rows in blocks, in memory or in a cached RDD: a fit only ever aggregates over the blocks. */
public interface BlockData {

    /** Number of columns of every row. */
    int dimension();

    /** Runs one pass over every block. */
    <A> A aggregate(BlockAggregator<A> aggregator);

    /**
     * The rows of each block, by block index (0 to the number of blocks - 1): the indexes
     * {@link #aggregate(BlockAggregator, int[])} takes. Mini-batch EM groups blocks by them.
     *
     * @throws UnsupportedOperationException when the data cannot pass over some of its blocks
     */
    default long[] blockRows() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot pass over some of its blocks");
    }

    /**
     * Runs one pass over the blocks with the given indexes only (each once, in any order); the others
     * are not touched.
     *
     * @throws IllegalArgumentException if an index is out of range or repeated
     * @throws UnsupportedOperationException when the data cannot pass over some of its blocks
     */
    default <A> A aggregate(BlockAggregator<A> aggregator, int[] blockIndexes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot pass over some of its blocks");
    }

    /** Checks block indexes against a block count: in range and distinct; returns them sorted. */
    static int[] checkedIndexes(int[] blockIndexes, int blocks) {
        int[] sorted = blockIndexes.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || sorted[i] >= blocks) {
                throw new IllegalArgumentException("block index " + sorted[i] + " is out of range: the data has "
                        + blocks + " blocks");
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("block index " + sorted[i] + " is given twice");
            }
        }
        return sorted;
    }
}
