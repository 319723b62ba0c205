package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.data.RowHash;
import io.mixspark.data.SampledRows;
import io.mixspark.gmm.JavaLikelihoodKernel;
import java.io.Serializable;

/**
 * The rows of one data block together with their rows of the Burer-Monteiro factor: centred
 * values, an unscaled nonnegative factor V (the solver's U is {@code scale} V, with the scale
 * known only after the global sum), the dual y, a hash key per row and the latest labels. A
 * partition is never changed in place: each {@link FactorMove} returns a new one, so a cached
 * Spark RDD of partitions can be recomputed from its parent.
 */
public final class FactorPartition implements Serializable {

    private static final long serialVersionUID = 1L;

    final double[] x;
    final long[] keys;
    final double[] v;
    final double[] y;
    final int[] labels;
    final int n;
    final int d;
    final int r;

    private FactorPartition(double[] x, long[] keys, double[] v, double[] y, int[] labels, int n, int d, int r) {
        this.x = x;
        this.keys = keys;
        this.v = v;
        this.y = y;
        this.labels = labels;
        this.n = n;
        this.d = d;
        this.r = r;
    }

    /** A block's rows before the start: no factor yet. */
    public static FactorPartition raw(DataBlock block) {
        for (int i = 0; i < block.rows(); i++) {
            if (block.weight(i) != 1.0) {
                throw new IllegalArgumentException("the k-means SDP is unweighted; a row has weight " + block.weight(i));
            }
        }
        return new FactorPartition(block.values(), null, null, null, null, block.rows(), block.d(), 0);
    }

    /**
     * Centres the raw rows on {@code mean}, multiplies them by {@code scale}, and draws the starting factor rows: uniform in [0, 1)
     * from each row's hash, so the start does not depend on the partitioning; when {@code centres}
     * is given (k x d, on the original scale), the row's nearest centre gets an extra
     * {@code 1 / sqrt(size)} in its column, a warm start at that clustering's membership matrix
     * blended with {@code noise} times the random draw.
     *
     */
    FactorPartition start(double[] mean, double scale, int r, long seed, double[] centres, long[] sizes,
                          double noise) {
        if (v != null) {
            throw new IllegalStateException("the partition has started already");
        }
        double[] x = new double[n * d];
        long[] keys = new long[n];
        double[] v = new double[n * r];
        RowHash.Occurrences occurrences = new RowHash.Occurrences(seed);
        double[] values = this.x;
        int[] nearest = centres == null ? null
                : nearestCentres(DataBlock.of(values, d), centres, centres.length / d);
        for (int i = 0; i < n; i++) {
            keys[i] = occurrences.bits(values, i * d, d);
            for (int a = 0; a < d; a++) {
                x[i * d + a] = (values[i * d + a] - mean[a]) * scale;
            }
            for (int j = 0; j < r; j++) {
                v[i * r + j] = (centres == null ? 1 : noise) * RowHash.toUnit(RowHash.remix(keys[i], j));
            }
            if (centres != null) {
                v[i * r + nearest[i]] += 1 / Math.sqrt(Math.max(1, sizes[nearest[i]]));
            }
        }
        return new FactorPartition(x, keys, v, new double[n], null, n, d, r);
    }

    FactorPartition with(double[] nextV, double[] nextY, int[] nextLabels) {
        return new FactorPartition(x, keys, nextV, nextY, nextLabels, n, d, r);
    }

    /** Labels from the latest rounding, or null before the first. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The factor rows scaled to U. */
    double[] scaledFactor(double scale) {
        double[] u = new double[n * r];
        for (int i = 0; i < u.length; i++) {
            u[i] = scale * v[i];
        }
        return u;
    }

    /** The rows of E = V P (P r x k) whose hash, remixed with the seed, falls below the fraction. */
    SampledRows embeddingSample(double[] projection, int k, double fraction, long seed) {
        SampledRows sample = new SampledRows(k);
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            long key = RowHash.remix(keys[i], seed);
            if (RowHash.toUnit(key) < fraction) {
                embed(i, projection, k, row);
                sample.add(row, 0, 1.0, key);
            }
        }
        return sample;
    }

    void embed(int i, double[] projection, int k, double[] out) {
        for (int c = 0; c < k; c++) {
            double sum = 0;
            for (int j = 0; j < r; j++) {
                sum += v[i * r + j] * projection[j * k + c];
            }
            out[c] = sum;
        }
    }

    /** The nearest centre (k x d) of each row of the block, by {@link JavaLikelihoodKernel}. */
    static int[] nearestCentres(DataBlock block, double[] centres, int k) {
        int[] labels = new int[block.rows()];
        JavaLikelihoodKernel.INSTANCE.nearestCentres(block, centres, k, labels, new double[block.rows()]);
        return labels;
    }
}
