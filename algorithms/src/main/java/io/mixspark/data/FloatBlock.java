package io.mixspark.data;

import java.io.Serializable;

/**
 * A block kept in single precision, for caching large tables in half the memory. Each value is
 * stored as a float offset from its column's mean over the block (kept in double), so precision
 * follows the spread of the data within the block, not its magnitude: a column near 10^6 with a
 * spread of 10^-3 keeps its digits. Weights stay in double. Passes expand it back to a
 * {@link DataBlock}.
 *
 * @param offsets     row-major {@code rows x d} values minus their column means, rounded to float
 * @param columnMeans the d column means the offsets are taken from
 * @param weights     per-row weights, or {@code null} when every row weighs 1
 * @param digest      the {@link ContentDigest} of the rows as given, before rounding, so that it
 *                    does not depend on which rows share a block
 */
public record FloatBlock(float[] offsets, double[] columnMeans, double[] weights, int rows, int d, long digest)
        implements Serializable {

    /** A block whose digest is not known (0). */
    public FloatBlock(float[] offsets, double[] columnMeans, double[] weights, int rows, int d) {
        this(offsets, columnMeans, weights, rows, d, 0);
    }

    public FloatBlock {
        if (rows < 0 || d < 1 || (long) rows * d > offsets.length || columnMeans.length != d
                || (weights != null && weights.length < rows)) {
            throw new IllegalArgumentException("float block of " + rows + " x " + d + " has " + offsets.length
                    + " offsets, " + columnMeans.length + " column means and "
                    + (weights == null ? "unit" : weights.length) + " weights");
        }
    }

    public static FloatBlock of(DataBlock block) {
        int rows = block.rows();
        int d = block.d();
        double[] x = block.values();
        double[] means = new double[d];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < d; a++) {
                means[a] += x[i * d + a];
            }
        }
        for (int a = 0; a < d; a++) {
            means[a] = rows == 0 ? 0.0 : means[a] / rows;
        }
        float[] offsets = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < d; a++) {
                offsets[i * d + a] = (float) (x[i * d + a] - means[a]);
            }
        }
        double[] weights = block.weights() == null ? null : java.util.Arrays.copyOf(block.weights(), rows);
        return new FloatBlock(offsets, means, weights, rows, d, ContentDigest.of(block));
    }

    /** The block in double precision, in a new array. */
    public DataBlock toDataBlock() {
        double[] x = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < d; a++) {
                x[i * d + a] = columnMeans[a] + offsets[i * d + a];
            }
        }
        return new DataBlock(x, weights, rows, d);
    }
}
