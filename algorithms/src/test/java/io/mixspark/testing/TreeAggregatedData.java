package io.mixspark.testing;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocks aggregated the way a cluster does it: every block into its own fresh {@code zero()},
 * then the partial results merged pairwise in a tree (as Spark's treeAggregate), so that a
 * fit over it exercises {@link BlockAggregator#merge} rather than only {@code add}.
 */
public final class TreeAggregatedData implements BlockData {

    private final InMemoryBlockData data;

    public TreeAggregatedData(InMemoryBlockData data) {
        this.data = data;
    }

    @Override
    public int dimension() {
        return data.dimension();
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        List<A> level = new ArrayList<>();
        for (DataBlock block : data.blocks()) {
            level.add(aggregator.add(aggregator.zero(), block));
        }
        if (level.isEmpty()) {
            return aggregator.zero();
        }
        while (level.size() > 1) {
            List<A> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? aggregator.merge(level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        return level.get(0);
    }
}
