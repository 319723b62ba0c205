package io.mixspark.em;

import java.util.Random;

/**
 * Test data: clusters stretched along random (not axis-aligned) directions. Cluster c has a
 * mean drawn from N(0, meanSd^2 I) and covariance I + (longSd^2 - 1) u_c u_c^T with u_c a
 * uniformly random unit vector. Everything is drawn from one seed, so a training table and a
 * held-out table of the same mixture come from {@link #mixture} once and {@link #rows} twice.
 */
record ElongatedClusters(int d, double[][] means, double[][] directions, double longSd) {

    static ElongatedClusters mixture(int k, int d, double meanSd, double longSd, long seed) {
        Random random = new Random(seed);
        double[][] means = new double[k][d];
        double[][] directions = new double[k][d];
        for (int c = 0; c < k; c++) {
            double norm = 0;
            for (int a = 0; a < d; a++) {
                means[c][a] = meanSd * random.nextGaussian();
                directions[c][a] = random.nextGaussian();
                norm += directions[c][a] * directions[c][a];
            }
            for (int a = 0; a < d; a++) {
                directions[c][a] /= Math.sqrt(norm);
            }
        }
        return new ElongatedClusters(d, means, directions, longSd);
    }

    int k() {
        return means.length;
    }

    /** perCluster rows of each cluster, cluster by cluster, row-major; labels[i] gets the cluster. */
    double[] rows(int perCluster, long seed, int[] labels) {
        Random random = new Random(seed);
        double[] out = new double[k() * perCluster * d];
        for (int c = 0; c < k(); c++) {
            for (int i = 0; i < perCluster; i++) {
                int row = c * perCluster + i;
                if (labels != null) {
                    labels[row] = c;
                }
                double along = Math.sqrt(longSd * longSd - 1) * random.nextGaussian();
                for (int a = 0; a < d; a++) {
                    out[row * d + a] = means[c][a] + random.nextGaussian() + along * directions[c][a];
                }
            }
        }
        return out;
    }
}
