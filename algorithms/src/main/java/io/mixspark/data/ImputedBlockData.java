package io.mixspark.data;

import java.util.Arrays;

/**
 * A view of data with missing values (NaN) in which each missing value reads as a fixed value of
 * its column (its observed mean, say) and rows with no observed value are left out. EM itself
 * never imputes; the starts (k-means++, k-means||, random, SDP, hierarchical, and the starting
 * partitions of the small-EM start's short runs) run on this view, because they need complete rows.
 */
public final class ImputedBlockData implements BlockData {

    private final BlockData data;
    private final double[] fill;

    /** @param fill the value read for a missing value, per column */
    public ImputedBlockData(BlockData data, double[] fill) {
        if (fill.length != data.dimension()) {
            throw new IllegalArgumentException("expected " + data.dimension() + " fill values, got " + fill.length);
        }
        this.data = data;
        this.fill = fill.clone();
    }

    @Override
    public int dimension() {
        return data.dimension();
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        return data.aggregate(new Filled<>(aggregator, fill));
    }

    @Override
    public long[] blockRows() {
        return data.blockRows();
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator, int[] blockIndexes) {
        return data.aggregate(new Filled<>(aggregator, fill), blockIndexes);
    }

    /** The aggregator over filled blocks. */
    private record Filled<A>(BlockAggregator<A> inner, double[] fill) implements BlockAggregator<A> {

        @Override
        public A zero() {
            return inner.zero();
        }

        @Override
        public A add(A accumulator, DataBlock block) {
            return inner.add(accumulator, filled(block, fill));
        }

        @Override
        public A merge(A left, A right) {
            return inner.merge(left, right);
        }

        @Override
        public String kernelUsed() {
            return inner.kernelUsed();
        }
    }

    /** The block with missing values filled and rows with no observed value dropped. */
    public static DataBlock filled(DataBlock block, double[] fill) {
        int d = block.d();
        double[] v = block.values();
        double[] values = new double[block.rows() * d];
        double[] weights = block.weights() == null ? null : new double[block.rows()];
        int[] labels = block.labels() == null ? null : new int[block.rows()];
        int kept = 0;
        for (int i = 0; i < block.rows(); i++) {
            int observed = 0;
            for (int a = 0; a < d; a++) {
                double x = v[i * d + a];
                if (Double.isNaN(x)) {
                    values[kept * d + a] = fill[a];
                } else {
                    values[kept * d + a] = x;
                    observed++;
                }
            }
            if (observed > 0) {
                if (weights != null) {
                    weights[kept] = block.weights()[i];
                }
                if (labels != null) {
                    labels[kept] = block.labels()[i];
                }
                kept++;
            }
        }
        boolean all = kept == block.rows();
        return new DataBlock(all ? values : Arrays.copyOf(values, kept * d),
                weights == null || all ? weights : Arrays.copyOf(weights, kept), kept, d,
                labels == null || all ? labels : Arrays.copyOf(labels, kept));
    }
}
