package io.mixspark.testing;

import java.util.Random;

/**
 * Well-separated clusters for SDP tests: row i belongs to cluster i mod k, whose mean is
 * {@code shift} along axis k (so k <= d), with unit Gaussian noise.
 *
 * @param rows  n x d row-major values
 * @param truth each row's cluster
 */
public record AxisClusters(double[] rows, int[] truth) {

    public static AxisClusters draw(int n, int d, int k, double shift, long seed) {
        if (k > d) {
            throw new IllegalArgumentException("k = " + k + " clusters need d >= k axes, got d = " + d);
        }
        Random random = new Random(seed);
        double[] x = new double[n * d];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % k;
            for (int a = 0; a < d; a++) {
                x[i * d + a] = random.nextGaussian() + (a == truth[i] ? shift : 0);
            }
        }
        return new AxisClusters(x, truth);
    }
}
