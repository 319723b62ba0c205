package io.mixspark.sdp;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.SampledRows;
import io.mixspark.gmm.JavaLikelihoodKernel;

/**
 * Sketch-and-lift SDP k-means (Zhuang, Chen and Yang, "Sketch-and-lift: scalable subsampled
 * semidefinite program for K-means clustering", AISTATS 2022, arXiv 2201.08226):
 *
 * <ol>
 *   <li>keep each row with probability gamma (the authors use 0.1 at n = 2000 and 0.02 for 72k
 *       CyTOF rows);</li>
 *   <li>solve the Peng-Wei SDP on the sample with {@link KMeansSdp} and round it;</li>
 *   <li>compute the sample centroids;</li>
 *   <li>assign every row to the nearest centroid.</li>
 * </ol>
 *
 * <p>The sample is drawn by {@link SampledRows#uniform}, a {@link BlockAggregator} keyed on each
 * row's {@link io.mixspark.data.RowHash}, so the same rows are kept whatever the partitioning and
 * the same code runs on a Spark RDD; the sample is sorted by hash key before the solve, which makes
 * a seeded fit reproducible. The lift (step 4) needs only the K centres: on Spark, broadcast them
 * and label each partition; in memory, {@link #assign} does it in one pass.
 *
 * <p>The paper's balanced sketch (a pilot k-means, then sampling probability gamma n / (K |G_k|))
 * and its multi-round size re-estimation for unbalanced clusters are not implemented.
 */
public final class SketchAndLift {

    private SketchAndLift() {
    }

    /**
     * Samples, solves and rounds: steps 1-3.
     *
     * @param gamma sampling probability of each row, in (0, 1]
     * @param seed  seed of the row hash (and so of the sample)
     * @throws IllegalArgumentException if the arguments are invalid, a row weight differs from 1, or
     *     the sample holds fewer than k rows
     */
    public static SketchAndLiftResult fit(BlockData data, int k, double gamma, long seed, SdpOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        DataBlock sample = sample(data, k, gamma, seed);
        SdpResult solve = KMeansSdp.fit(sample, k, options);
        return new SketchAndLiftResult(centroids(sample, solve.labels(), k), k, data.dimension(), sample.rows(),
                solve);
    }

    /**
     * Step 1: the rows kept with probability gamma, unweighted and sorted by hash key.
     *
     * @throws IllegalArgumentException if the arguments are invalid, a row weight differs from 1, or
     *     the sample holds fewer than k rows
     */
    public static DataBlock sample(BlockData data, int k, double gamma, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("data is required");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int d = data.dimension();
        DataBlock sorted = data.aggregate(SampledRows.uniform(d, gamma, seed)).toSortedBlock();
        int m = sorted.rows();
        if (m < k) {
            throw new IllegalArgumentException("the sample at gamma = " + gamma + " holds " + m
                    + " rows, fewer than k = " + k + "; raise gamma");
        }
        for (int i = 0; i < m; i++) {
            if (sorted.weight(i) != 1.0) {
                throw new IllegalArgumentException("the SDP sketch needs unweighted rows; a sampled row has weight "
                        + sorted.weight(i));
            }
        }
        return new DataBlock(sorted.values(), null, m, d);
    }

    /** Step 4 in memory: the nearest centre of every row, in block order. */
    public static int[] assign(InMemoryBlockData data, SketchAndLiftResult fit) {
        if (data.dimension() != fit.d()) {
            throw new IllegalArgumentException("data has " + data.dimension() + " columns, the centres " + fit.d());
        }
        return data.aggregate(labelsPass(fit.centres(), fit.k()));
    }

    /**
     * A pass labelling each row by its nearest centre; merge concatenates left then right, which is
     * associative and keeps block order when the blocks are folded in order (as
     * {@link InMemoryBlockData} does). Spark's aggregate merges partitions in arrival order, so there
     * label each partition instead.
     */
    public static BlockAggregator<int[]> labelsPass(double[] centres, int k) {
        double[] owned = centres.clone();
        return new BlockAggregator<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public int[] zero() {
                return new int[0];
            }

            @Override
            public int[] add(int[] accumulator, DataBlock block) {
                int[] labels = new int[block.rows()];
                JavaLikelihoodKernel.INSTANCE.nearestCentres(block, owned, k, labels, new double[block.rows()]);
                return merge(accumulator, labels);
            }

            @Override
            public int[] merge(int[] left, int[] right) {
                int[] out = java.util.Arrays.copyOf(left, left.length + right.length);
                System.arraycopy(right, 0, out, left.length, right.length);
                return out;
            }
        };
    }

    /** Means of the rows of each label; a label with no rows (the rounding never yields one) is rejected. */
    public static double[] centroids(DataBlock rows, int[] labels, int k) {
        int d = rows.d();
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int i = 0; i < rows.rows(); i++) {
            counts[labels[i]]++;
            for (int a = 0; a < d; a++) {
                sums[labels[i] * d + a] += rows.values()[i * d + a];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                throw new IllegalStateException("cluster " + c + " of the sample is empty");
            }
            for (int a = 0; a < d; a++) {
                sums[c * d + a] /= counts[c];
            }
        }
        return sums;
    }
}
