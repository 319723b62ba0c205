package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.linalg.Cholesky;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The likelihood matrices of iLA-SDP (Zhuang, Chen and Yang, ICML 2023, arXiv 2209.15097): for
 * cluster covariances S_1..S_K,
 *
 * <pre>
 *   (A_k)_ij = -1/4 (x_i - x_j)^T S_k^{-1} (x_i - x_j) - 1/2 log det S_k.
 * </pre>
 *
 * <p>Why: for a partition G_1..G_K with B_k = 1_{G_k} 1_{G_k}^T / |G_k|, the identity
 * sum_{i in G} (x_i - mean_G)^T M (x_i - mean_G) = 1/(2|G|) sum_{i,j in G} (x_i - x_j)^T M (x_i - x_j)
 * and sum_ij (B_k)_ij = |G_k| give
 *
 * <pre>
 *   sum_k &lt;A_k, B_k&gt; = sum_k sum_{i in G_k} log phi(x_i; mean_{G_k}, S_k) + (n d / 2) log(2 pi),
 * </pre>
 *
 * the Gaussian log-likelihood of the labelling with the means profiled out, up to a constant.
 */
final class LikelihoodMatrices {

    private LikelihoodMatrices() {
    }

    /**
     * A_1..A_K as row-major n x n arrays.
     *
     * @throws IllegalArgumentException if a covariance has the wrong size or is not positive definite
     */
    static double[][] of(DataBlock points, double[][] covariances) {
        int n = points.rows();
        int d = points.d();
        DMatrixRMaj x = DMatrixRMaj.wrap(n, d, java.util.Arrays.copyOf(points.values(), n * d));
        double[][] out = new double[covariances.length][];
        for (int c = 0; c < covariances.length; c++) {
            if (covariances[c] == null || covariances[c].length != d * d) {
                throw new IllegalArgumentException("covariance " + c + " must hold " + d + " x " + d + " values");
            }
            double[] p = Cholesky.precisionFactor(covariances[c], d);
            if (p == null) {
                throw new IllegalArgumentException("covariance " + c + " is not positive definite");
            }
            // Rows of Y = X P are whitened: |y_i - y_j|^2 = (x_i - x_j)^T S^{-1} (x_i - x_j).
            DMatrixRMaj y = new DMatrixRMaj(n, d);
            CommonOps_DDRM.mult(x, DMatrixRMaj.wrap(d, d, p), y);
            DMatrixRMaj gram = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransB(y, y, gram);
            double halfLogDetPrecision = Cholesky.logDiagonalSum(p, d);
            double[] g = gram.data;
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                double qi = g[i * n + i];
                for (int j = 0; j < n; j++) {
                    double squared = i == j ? 0 : Math.max(qi + g[j * n + j] - 2 * g[i * n + j], 0);
                    a[i * n + j] = -0.25 * squared + halfLogDetPrecision;
                }
            }
            out[c] = a;
        }
        return out;
    }

    /** sum_k &lt;A_k, Z_k&gt; for row-major n x n matrices. */
    static double value(double[][] a, double[][] z) {
        double total = 0;
        for (int c = 0; c < a.length; c++) {
            double[] ac = a[c];
            double[] zc = z[c];
            for (int i = 0; i < ac.length; i++) {
                total += ac[i] * zc[i];
            }
        }
        return total;
    }

    /**
     * sum_k &lt;A_k, B_k&gt; for the partition given by labels in 0..K-1, without forming B_k:
     * sum_k (1 / |G_k|) sum_{i, j in G_k} (A_k)_ij. An empty cluster contributes nothing.
     */
    static double membershipValue(double[][] a, int[] labels) {
        int n = labels.length;
        int k = a.length;
        double[] sums = new double[k];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            counts[c]++;
            double[] ac = a[c];
            for (int j = 0; j < n; j++) {
                if (labels[j] == c) {
                    sums[c] += ac[i * n + j];
                }
            }
        }
        double total = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                total += sums[c] / counts[c];
            }
        }
        return total;
    }

    /** (n d / 2) log(2 pi): what sum_k &lt;A_k, B_k&gt; exceeds the profile log-likelihood by. */
    static double gaussianConstant(int n, int d) {
        return 0.5 * n * d * Math.log(2 * Math.PI);
    }
}
