package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.linalg.Cholesky;

/**
 * The Gaussian of each cluster of a labelling: its row count, its mean and its covariance, the
 * maximum-likelihood covariance shrunk by a {@link ShrinkageRule} and then given a ridge
 * {@code regCovar} on the diagonal (the same guard as EM's M-step, for clusters of one row or of
 * rows that span fewer than d dimensions).
 *
 * @param counts      rows per cluster
 * @param means       k rows of d means
 * @param covariances k row-major d x d covariances, symmetric positive definite
 * @param shrinkage   the shrinkage each covariance received
 */
record ClusterGaussians(int[] counts, double[][] means, double[][] covariances, ClusterShrinkage[] shrinkage) {

    /**
     * Estimates every cluster of {@code labels} (values in 0..k-1).
     *
     * @throws IllegalArgumentException if a label is out of range or a cluster is empty
     */
    static ClusterGaussians of(DataBlock points, int[] labels, int k, double regCovar) {
        return of(points, labels, k, regCovar, ShrinkageRule.LEDOIT_WOLF);
    }

    static ClusterGaussians of(DataBlock points, int[] labels, int k, double regCovar, ShrinkageRule rule) {
        int n = points.rows();
        int d = points.d();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows need " + n + " labels, got " + labels.length);
        }
        double[] x = points.values();
        int[] counts = new int[k];
        double[][] means = new double[k][d];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            if (c < 0 || c >= k) {
                throw new IllegalArgumentException("labels must lie in 0.." + (k - 1) + ", got " + c);
            }
            counts[c]++;
            for (int a = 0; a < d; a++) {
                means[c][a] += x[i * d + a];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("cluster " + c + " of " + k + " has no rows");
            }
            for (int a = 0; a < d; a++) {
                means[c][a] /= counts[c];
            }
        }
        double[][] scatter = new double[k][d * d];
        double[] fourthPowers = new double[k];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            double squaredNorm = 0;
            for (int a = 0; a < d; a++) {
                centred[a] = x[i * d + a] - means[c][a];
                squaredNorm += centred[a] * centred[a];
            }
            fourthPowers[c] += squaredNorm * squaredNorm;
            double[] s = scatter[c];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    s[a * d + b] += centred[a] * centred[b];
                }
            }
        }
        double[][] covariances = new double[k][];
        ClusterShrinkage[] shrinkage = new ClusterShrinkage[k];
        for (int c = 0; c < k; c++) {
            double[] s = scatter[c];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = s[a * d + b] / counts[c];
                    s[a * d + b] = v;
                    s[b * d + a] = v;
                }
            }
            double rho = rule.intensity(s, d, counts[c], fourthPowers[c]);
            shrinkage[c] = new ClusterShrinkage(ClusterShrinkage.SCALED_IDENTITY, rho);
            double[] shrunk = LedoitWolfShrinkage.shrink(s, d, rho);
            for (int a = 0; a < d; a++) {
                shrunk[a * d + a] += regCovar;
            }
            covariances[c] = shrunk;
        }
        return new ClusterGaussians(counts, means, covariances, shrinkage);
    }

    /**
     * sum_i log phi(x_i; mean_{l_i}, S_{l_i}) with these (shrunk) covariances: the objective the
     * rounds climb, by which starts are compared.
     */
    double logLikelihood(DataBlock points, int[] labels) {
        int d = points.d();
        double[] x = points.values();
        double[][] factors = new double[k()][];
        double[] logDet = new double[k()];
        for (int c = 0; c < k(); c++) {
            factors[c] = Cholesky.precisionFactor(covariances[c], d);
            if (factors[c] == null) {
                throw new IllegalStateException("cluster " + c + "'s covariance is not positive definite");
            }
            logDet[c] = Cholesky.logDiagonalSum(factors[c], d);
        }
        double total = 0;
        double[] centred = new double[d];
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            for (int a = 0; a < d; a++) {
                centred[a] = x[i * d + a] - means[c][a];
            }
            double[] p = factors[c];
            double squared = 0;
            for (int col = 0; col < d; col++) {
                double y = 0;
                for (int row = 0; row <= col; row++) {
                    y += centred[row] * p[row * d + col];
                }
                squared += y * y;
            }
            total += logDet[c] - 0.5 * squared;
        }
        return total - 0.5 * labels.length * d * Math.log(2 * Math.PI);
    }

    int k() {
        return counts.length;
    }

    /**
     * The full-covariance mixture with weights |G_k| / n: its MAP rule labels any row, which is how
     * a labelling found on a sample is lifted to all rows.
     */
    Mixture toMixture() {
        long n = 0;
        for (int count : counts) {
            n += count;
        }
        double[] weights = new double[k()];
        for (int c = 0; c < k(); c++) {
            weights[c] = (double) counts[c] / n;
        }
        return new Mixture(CovarianceType.FULL, weights, means, covariances);
    }
}
