package io.mixspark.sdp;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.InMemoryBlockData;
import java.util.ArrayList;
import java.util.List;

/** {@link FactorData} whose partitions are in this JVM: one per block of the given rows. */
public final class InMemoryFactorData implements FactorData {

    private final InMemoryBlockData rows;
    private List<FactorPartition> partitions;

    public InMemoryFactorData(InMemoryBlockData rows) {
        this.rows = rows;
        this.partitions = rows.blocks().stream().map(FactorPartition::raw).toList();
    }

    @Override
    public <S> S update(FactorMove<S> move) {
        S summary = move.zero();
        List<FactorPartition> next = new ArrayList<>(partitions.size());
        for (FactorPartition partition : partitions) {
            FactorMove.Moved<S> moved = move.move(partition);
            next.add(moved.partition());
            summary = move.merge(summary, moved.summary());
        }
        partitions = next;
        return summary;
    }

    @Override
    public <S> S inspect(FactorMove<S> move) {
        S summary = move.zero();
        for (FactorPartition partition : partitions) {
            summary = move.merge(summary, move.move(partition).summary());
        }
        return summary;
    }

    /** The latest labels in row order, or null before the first rounding. */
    public int[] labels() {
        if (partitions.stream().anyMatch(p -> p.labels == null)) {
            return null;
        }
        return partitions.stream().flatMapToInt(p -> java.util.Arrays.stream(p.labels)).toArray();
    }

    /** The current factor U = V sqrt(k) / ||V||_F in row order (n x r). */
    double[] factor(int k) {
        double norm = partitions.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.v)).map(x -> x * x).sum();
        double scale = Math.sqrt(k / norm);
        return partitions.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.scaledFactor(scale))).toArray();
    }

    @Override
    public int dimension() {
        return rows.dimension();
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        return rows.aggregate(aggregator);
    }

    @Override
    public void close() {
        partitions = List.of();
    }
}
