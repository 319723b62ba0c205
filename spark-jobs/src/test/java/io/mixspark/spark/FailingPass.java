package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.RowCounts;

/** A row-counting pass that throws on the block whose first value is the marked one, as a pass meeting a bad row does. */
public record FailingPass(double marked) implements BlockAggregator<RowCounts> {

    @Override
    public RowCounts zero() {
        return RowCounts.pass().zero();
    }

    @Override
    public RowCounts add(RowCounts acc, DataBlock block) {
        if (block.values()[0] == marked) {
            throw new IllegalArgumentException("row 3 of the block is bad: x = " + marked);
        }
        return RowCounts.pass().add(acc, block);
    }

    @Override
    public RowCounts merge(RowCounts left, RowCounts right) {
        return RowCounts.pass().merge(left, right);
    }
}
