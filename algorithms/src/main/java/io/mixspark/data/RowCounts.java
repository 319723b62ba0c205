package io.mixspark.data;

import java.io.Serializable;

/**
 * How many rows there are and their total weight.
 *
 * @param rows        number of rows
 * @param totalWeight sum of the row weights
 */
public record RowCounts(long rows, double totalWeight) implements Serializable {

    /** The pass that counts the rows of a data set. */
    public static BlockAggregator<RowCounts> pass() {
        return new BlockAggregator<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public RowCounts zero() {
                return new RowCounts(0, 0);
            }

            @Override
            public RowCounts add(RowCounts acc, DataBlock block) {
                return new RowCounts(acc.rows + block.rows(), acc.totalWeight + block.totalWeight());
            }

            @Override
            public RowCounts merge(RowCounts left, RowCounts right) {
                return new RowCounts(left.rows + right.rows, left.totalWeight + right.totalWeight);
            }
        };
    }
}
