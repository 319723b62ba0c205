package io.mixspark.testing;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;

/** Data that counts the passes made over it (on Spark, each pass is one job). */
public final class CountingBlockData implements BlockData {

    private final BlockData data;
    private int passes;

    public CountingBlockData(BlockData data) {
        this.data = data;
    }

    public int passes() {
        return passes;
    }

    @Override
    public int dimension() {
        return data.dimension();
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        passes++;
        return data.aggregate(aggregator);
    }
}
