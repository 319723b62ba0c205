package io.mixspark.data;

import java.io.Serializable;

/**
 * A block of rows stored row-major, the unit every likelihood kernel works on. Spark caches
 * data as blocks so that an EM iteration touches no per-row objects.
 *
 * @param values  row-major {@code rows x d} values (may be longer; only the prefix is used)
 * @param weights per-row weights, or {@code null} when every row weighs 1
 * @param rows    number of rows
 * @param d       number of columns
 */
public record DataBlock(double[] values, double[] weights, int rows, int d) implements Serializable {

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

    /** A copy of one row. */
    public double[] row(int i) {
        double[] out = new double[d];
        System.arraycopy(values, i * d, out, 0, d);
        return out;
    }
}
