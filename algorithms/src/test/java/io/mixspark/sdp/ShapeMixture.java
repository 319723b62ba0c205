package io.mixspark.sdp;

import java.util.Random;

/**
 * Two Gaussian clusters of different shapes: cluster 0 elongated (standard deviation
 * {@code elongated} on axis 0, {@code rest} on every other axis, mean 0) and cluster 1 compact
 * (standard deviation {@code compact} on every axis, mean delta e_1, so the means differ across the
 * elongation). Rows alternate between the clusters.
 */
record ShapeMixture(double[] x, int[] truth, int n, int d) {

    static ShapeMixture draw(int n, int d, double elongated, double rest, double compact, double delta, long seed) {
        if (n < 2 || d < 2) {
            throw new IllegalArgumentException("need n >= 2 and d >= 2, got n=" + n + ", d=" + d);
        }
        Random random = new Random(seed);
        double[] x = new double[n * d];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            for (int a = 0; a < d; a++) {
                double sd = truth[i] == 1 ? compact : a == 0 ? elongated : rest;
                x[i * d + a] = sd * random.nextGaussian();
            }
            if (truth[i] == 1) {
                x[i * d + 1] += delta;
            }
        }
        return new ShapeMixture(x, truth, n, d);
    }
}
