package io.mixspark.data;

import java.io.Serializable;

/**
 * A block of rows stored row-major, the unit every likelihood kernel works on. Spark caches
 * data as blocks so that an EM iteration touches no per-row objects.
 *
 * @param values  row-major {@code rows x d} values (may be longer; only the prefix is used); NaN
 *                marks a missing value
 * @param weights per-row weights, or {@code null} when every row weighs 1
 * @param rows    number of rows
 * @param d       number of columns
 * @param labels  per-row known component ({@link #UNLABELLED} for none), or {@code null} when no
 *                row carries one
 */
public record DataBlock(double[] values, double[] weights, int rows, int d, int[] labels) implements Serializable {

    /** The label of a row whose component is not known. */
    public static final int UNLABELLED = -1;

    /** A block without known labels. */
    public DataBlock(double[] values, double[] weights, int rows, int d) {
        this(values, weights, rows, d, null);
    }

    public DataBlock {
        if (values == null) {
            throw new IllegalArgumentException("block values are required");
        }
        if (rows < 0 || d < 1) {
            throw new IllegalArgumentException("block shape must have rows >= 0 and d >= 1, got " + rows + " x " + d);
        }
        if ((long) rows * d > values.length) {
            throw new IllegalArgumentException("block of " + rows + " x " + d + " needs " + (long) rows * d
                    + " values, got " + values.length);
        }
        if (weights != null && weights.length < rows) {
            throw new IllegalArgumentException("block of " + rows + " rows has only " + weights.length + " weights");
        }
        if (labels != null && labels.length < rows) {
            throw new IllegalArgumentException("block of " + rows + " rows has only " + labels.length + " labels");
        }
    }

    /** A block of unweighted rows. */
    public static DataBlock of(double[] values, int d) {
        if (d < 1 || values.length % d != 0) {
            throw new IllegalArgumentException(values.length + " values do not split into rows of " + d);
        }
        return new DataBlock(values, null, values.length / d, d);
    }

    public double weight(int row) {
        return weights == null ? 1.0 : weights[row];
    }

    /** The row's known component, or {@link #UNLABELLED}. */
    public int label(int row) {
        return labels == null ? UNLABELLED : labels[row];
    }

    /** Checks that a row's label names a component of a k-component mixture (or is unlabelled). */
    public static void requireComponent(int label, int k) {
        if (label != UNLABELLED && (label < 0 || label >= k)) {
            throw new IllegalArgumentException("a row is labelled " + label + ", which names no component of a"
                    + " mixture of k = " + k + " (labels are 0.." + (k - 1) + ")");
        }
    }

    /** Whether any row carries a known component. */
    public boolean hasLabels() {
        if (labels != null) {
            for (int i = 0; i < rows; i++) {
                if (labels[i] != UNLABELLED) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Sum of the row weights. */
    public double totalWeight() {
        if (weights == null) {
            return rows;
        }
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += weights[i];
        }
        return sum;
    }

    /**
     * The given rows and columns as a new block, with their weights (and without labels: the
     * caller has grouped the rows by what their labels say).
     */
    public DataBlock select(int[] rowIndexes, int[] columns) {
        int o = columns.length;
        double[] out = new double[rowIndexes.length * o];
        double[] w = weights == null ? null : new double[rowIndexes.length];
        for (int i = 0; i < rowIndexes.length; i++) {
            int from = rowIndexes[i] * d;
            for (int j = 0; j < o; j++) {
                out[i * o + j] = values[from + columns[j]];
            }
            if (w != null) {
                w[i] = weights[rowIndexes[i]];
            }
        }
        return new DataBlock(out, w, rowIndexes.length, o);
    }

    /** The indexes 0..d-1, to select every column. */
    public int[] allColumns() {
        int[] out = new int[d];
        for (int a = 0; a < d; a++) {
            out[a] = a;
        }
        return out;
    }

    /** A copy of one row. */
    public double[] row(int i) {
        double[] out = new double[d];
        System.arraycopy(values, i * d, out, 0, d);
        return out;
    }
}
