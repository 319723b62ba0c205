package io.mixspark.online;

import io.mixspark.data.DataBlock;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A uniform sample of at most {@code capacity} rows that merges like a monoid: it keeps the rows
 * with the smallest hash keys (ties broken by the row's values, then its weight), a total order, so
 * the rows kept depend only on which rows were added, never on how they were split or in which
 * order partial samples were merged. Keys come from the row's values ({@code RowHash}), so a
 * replayed batch samples the same rows however it is partitioned.
 */
public final class BoundedSample implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int d;
    private final int capacity;
    private double[] values;
    private double[] weights;
    private long[] keys;
    private int rows;

    public BoundedSample(int d, int capacity) {
        if (d < 1 || capacity < 1) {
            throw new IllegalArgumentException("a sample needs d >= 1 and capacity >= 1, got d=" + d + ", capacity="
                    + capacity);
        }
        this.d = d;
        this.capacity = capacity;
        int initial = Math.min(capacity, 16);
        this.values = new double[initial * d];
        this.weights = new double[initial];
        this.keys = new long[initial];
    }

    /** Offers the row at {@code offset} of {@code source}. */
    public void add(double[] source, int offset, double weight, long key) {
        if (rows == keys.length) {
            if (rows >= 2 * capacity) {
                compact();
            } else {
                int grown = Math.min(2 * capacity, Math.max(16, rows * 2));
                values = Arrays.copyOf(values, grown * d);
                weights = Arrays.copyOf(weights, grown);
                keys = Arrays.copyOf(keys, grown);
            }
        }
        System.arraycopy(source, offset, values, rows * d, d);
        weights[rows] = weight;
        keys[rows] = key;
        rows++;
    }

    /** Adds other's rows to this one (other is unchanged) and returns this. */
    public BoundedSample merge(BoundedSample other) {
        if (other.d != d || other.capacity != capacity) {
            throw new IllegalArgumentException("cannot merge samples of d=" + d + "/" + other.d + ", capacity="
                    + capacity + "/" + other.capacity);
        }
        for (int i = 0; i < other.rows; i++) {
            add(other.values, i * d, other.weights[i], other.keys[i]);
        }
        return this;
    }

    public int capacity() {
        return capacity;
    }

    public int d() {
        return d;
    }

    /** Rows kept: at most the capacity. */
    public int rows() {
        compact();
        return rows;
    }

    /** The kept rows in key order, with their weights. */
    public DataBlock toBlock() {
        compact();
        return new DataBlock(Arrays.copyOf(values, rows * d), Arrays.copyOf(weights, rows), rows, d);
    }

    /** Sorts by the total order and keeps the first {@code capacity} rows. */
    private void compact() {
        Integer[] order = IntStream.range(0, rows).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> keys[i]).thenComparing(this::compareRows)
                .thenComparing(i -> weights[i]));
        int kept = Math.min(rows, capacity);
        double[] v = new double[Math.max(kept, 1) * 2 * d];
        double[] w = new double[Math.max(kept, 1) * 2];
        long[] key = new long[Math.max(kept, 1) * 2];
        for (int j = 0; j < kept; j++) {
            System.arraycopy(values, order[j] * d, v, j * d, d);
            w[j] = weights[order[j]];
            key[j] = keys[order[j]];
        }
        values = v;
        weights = w;
        keys = key;
        rows = kept;
    }

    private int compareRows(int i, int j) {
        return Arrays.compare(values, i * d, i * d + d, values, j * d, j * d + d);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BoundedSample other) || other.d != d || other.capacity != capacity) {
            return false;
        }
        compact();
        other.compact();
        return rows == other.rows && Arrays.equals(keys, 0, rows, other.keys, 0, rows)
                && Arrays.equals(values, 0, rows * d, other.values, 0, rows * d)
                && Arrays.equals(weights, 0, rows, other.weights, 0, rows);
    }

    @Override
    public int hashCode() {
        compact();
        return 31 * rows + Arrays.hashCode(Arrays.copyOf(keys, rows));
    }
}
