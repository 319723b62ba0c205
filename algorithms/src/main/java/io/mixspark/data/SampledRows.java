package io.mixspark.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A growable, mergeable set of sampled rows with their weights and hash keys. Sorting by key
 * gives an order that does not depend on partitioning, so seeded algorithms that consume a
 * sample stay reproducible.
 */
public final class SampledRows implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int d;
    private double[] values;
    private double[] weights;
    private long[] keys;
    private int rows;

    public SampledRows(int d) {
        this.d = d;
        this.values = new double[16 * d];
        this.weights = new double[16];
        this.keys = new long[16];
    }

    public void add(double[] source, int offset, double weight, long key) {
        if (rows == keys.length) {
            int capacity = Math.max(16, rows * 2);
            values = Arrays.copyOf(values, capacity * d);
            weights = Arrays.copyOf(weights, capacity);
            keys = Arrays.copyOf(keys, capacity);
        }
        System.arraycopy(source, offset, values, rows * d, d);
        weights[rows] = weight;
        keys[rows] = key;
        rows++;
    }

    /** Appends other's rows to this one and returns this. */
    public SampledRows merge(SampledRows other) {
        for (int i = 0; i < other.rows; i++) {
            add(other.values, i * d, other.weights[i], other.keys[i]);
        }
        return this;
    }

    public int rows() {
        return rows;
    }

    /** The hash key of row i. */
    public long key(int i) {
        return keys[i];
    }

    /** The rows as one block, ordered by key (then by value for equal keys). */
    public DataBlock toSortedBlock() {
        Integer[] order = IntStream.range(0, rows).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> keys[i]).thenComparing(this::compareRows));
        double[] v = new double[rows * d];
        double[] w = new double[rows];
        for (int j = 0; j < rows; j++) {
            System.arraycopy(values, order[j] * d, v, j * d, d);
            w[j] = weights[order[j]];
        }
        return new DataBlock(v, w, rows, d);
    }

    private int compareRows(int i, int j) {
        return Arrays.compare(values, i * d, i * d + d, values, j * d, j * d + d);
    }

    /** An aggregator keeping each row with a fixed probability, drawn from the row's hash. */
    public static BlockAggregator<SampledRows> uniform(int d, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("sampling fraction must be in (0, 1], got " + fraction);
        }
        return new BlockAggregator<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SampledRows zero() {
                return new SampledRows(d);
            }

            @Override
            public SampledRows add(SampledRows acc, DataBlock block) {
                RowHash.Occurrences draws = new RowHash.Occurrences(seed);
                for (int i = 0; i < block.rows(); i++) {
                    long key = draws.bits(block.values(), i * d, d);
                    if (RowHash.toUnit(key) < fraction && block.weight(i) > 0) {
                        acc.add(block.values(), i * d, block.weight(i), key);
                    }
                }
                return acc;
            }

            @Override
            public SampledRows merge(SampledRows left, SampledRows right) {
                return left.merge(right);
            }
        };
    }
}
