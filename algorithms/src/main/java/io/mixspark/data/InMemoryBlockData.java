package io.mixspark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows held in memory as blocks, for tests, the driver and small data. */
public final class InMemoryBlockData implements BlockData {

    /** Rows per block when none is given. */
    public static final int DEFAULT_BLOCK_ROWS = 4096;

    private final List<DataBlock> blocks;
    private final int d;

    public InMemoryBlockData(List<DataBlock> blocks, int d) {
        for (DataBlock b : blocks) {
            if (b.d() != d) {
                throw new IllegalArgumentException("every block must have " + d + " columns, got " + b.d());
            }
        }
        this.blocks = List.copyOf(blocks);
        this.d = d;
    }

    /**
     * Splits row-major values (and optional weights) into blocks of at most {@code blockRows}.
     */
    public static InMemoryBlockData of(double[] values, double[] weights, int d, int blockRows) {
        return of(values, weights, null, d, blockRows);
    }

    /**
     * As {@link #of(double[], double[], int, int)}, with each row's known component
     * ({@link DataBlock#UNLABELLED} for none), or null labels.
     */
    public static InMemoryBlockData of(double[] values, double[] weights, int[] labels, int d, int blockRows) {
        if (d < 1 || values.length % d != 0) {
            throw new IllegalArgumentException(values.length + " values do not split into rows of " + d);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        int n = values.length / d;
        if (weights != null && weights.length != n) {
            throw new IllegalArgumentException(n + " rows need " + n + " weights, got " + weights.length);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(n + " rows need " + n + " labels, got " + labels.length);
        }
        List<DataBlock> blocks = new ArrayList<>();
        for (int start = 0; start < n; start += blockRows) {
            int rows = Math.min(blockRows, n - start);
            double[] v = new double[rows * d];
            System.arraycopy(values, start * d, v, 0, rows * d);
            double[] w = null;
            if (weights != null) {
                w = new double[rows];
                System.arraycopy(weights, start, w, 0, rows);
            }
            int[] l = labels == null ? null : Arrays.copyOfRange(labels, start, start + rows);
            blocks.add(new DataBlock(v, w, rows, d, l));
        }
        return new InMemoryBlockData(blocks, d);
    }

    public static InMemoryBlockData of(double[] values, int d) {
        return of(values, null, d, DEFAULT_BLOCK_ROWS);
    }

    public List<DataBlock> blocks() {
        return blocks;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator) {
        A acc = aggregator.zero();
        for (DataBlock block : blocks) {
            acc = aggregator.add(acc, block);
        }
        return acc;
    }

    @Override
    public long[] blockRows() {
        long[] out = new long[blocks.size()];
        for (int b = 0; b < out.length; b++) {
            out[b] = blocks.get(b).rows();
        }
        return out;
    }

    /** Folds the chosen blocks in index order. */
    @Override
    public <A> A aggregate(BlockAggregator<A> aggregator, int[] blockIndexes) {
        A acc = aggregator.zero();
        for (int b : BlockData.checkedIndexes(blockIndexes, blocks.size())) {
            acc = aggregator.add(acc, blocks.get(b));
        }
        return acc;
    }
}
