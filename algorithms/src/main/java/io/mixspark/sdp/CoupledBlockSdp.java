package io.mixspark.sdp;

/**
 * Dense ADMM solver of the likelihood-adjusted SDP of iLA-SDP (Zhuang, Chen and Yang, ICML 2023,
 * arXiv 2209.15097), one n x n block per cluster:
 *
 * <pre>
 *   maximise sum_k &lt;A_k, Z_k&gt;  subject to  Z_k PSD,  Z_k &gt;= 0,  tr Z_k = 1,  sum_k Z_k 1 = 1.
 * </pre>
 *
 * <p>The membership matrices B_k = 1_{G_k} 1_{G_k}^T / |G_k| of any partition are feasible. The
 * algorithm is {@link KMeansSdp}'s two-block ADMM with every variable a K-tuple of blocks: the
 * X-step projects onto the affine set L = {tr Z_k = 1, sum_k Z_k 1 = 1} in closed form
 * ({@link #projectAffine}), the Y-step projects each block onto the PSD cone with its own
 * {@link WarmPsdProjection} (warm-started from the block's previous iterate; a full
 * eigendecomposition when that cannot be certified), the W-step clamps at zero.
 * Penalty rebalancing, residuals and stopping rule are those of {@link KMeansSdp}, taken over the
 * concatenated blocks; the returned blocks are the PSD iterates.
 *
 * <p>Before solving, every A_k loses the same a 1^T + 1 a^T (a double-centring of the block
 * average), which changes the objective only by the constant 2 sum_i a_i on the feasible set
 * (sum_k Z_k 1 = 1), and the costs are scaled to unit Frobenius norm: the same conditioning as
 * centring the rows in {@link KMeansSdp}.
 */
final class CoupledBlockSdp {


    private CoupledBlockSdp() {
    }

    /**
     * The PSD iterates of the blocks and how the solve ended.
     *
     * @param z              K row-major n x n blocks
     * @param iterations     ADMM iterations run
     * @param primalResidual relative primal residual at the end
     * @param dualResidual   relative dual residual at the end
     * @param converged      whether both fell below the tolerance
     * @param duals          the scaled duals and penalty at the end, to warm-start a nearby solve
     */
    record Solution(double[][] z, int iterations, double primalResidual, double dualResidual, boolean converged,
            Duals duals) {
    }

    /**
     * Scaled duals U_1 (of X = Y) and U_2 (of X = W) with their penalty rho. The costs are scaled to
     * unit norm, so the duals of one round are a good start for the next, whose costs differ only
     * through the re-estimated covariances.
     */
    record Duals(double[][] u1, double[][] u2, double rho) {
    }

    /**
     * Solves from a feasible start (typically the membership matrices of the current labels).
     *
     * @param a     K row-major n x n likelihood matrices, symmetric
     * @param start K row-major n x n blocks to start from (copied)
     * @param warm  duals to start from (copied), or null for zero duals and the options' penalty
     */
    static Solution solve(double[][] a, int n, double[][] start, Duals warm, SdpOptions options) {
        int k = a.length;
        if (n < 2) {
            throw new IllegalArgumentException("the coupled SDP needs n >= 2 rows, got " + n);
        }
        if (start.length != k) {
            throw new IllegalArgumentException(k + " cost blocks need " + k + " start blocks, got " + start.length);
        }
        int nn = n * n;
        double[][] c = scaledCosts(a, n);
        double cNorm = frobenius(c) > 0 ? 1 : 0;
        double[][] x = new double[k][];
        double[][] y = new double[k][];
        double[][] w = new double[k][];
        for (int b = 0; b < k; b++) {
            x[b] = start[b].clone();
            y[b] = start[b].clone();
            w[b] = start[b].clone();
        }
        double[][] u1 = new double[k][];
        double[][] u2 = new double[k][];
        for (int b = 0; b < k; b++) {
            u1[b] = warm == null ? new double[nn] : warm.u1()[b].clone();
            u2[b] = warm == null ? new double[nn] : warm.u2()[b].clone();
        }
        double[][] work = new double[k][nn];
        double[] yPrev = new double[nn];
        WarmPsdProjection.Workspace workspace = new WarmPsdProjection.Workspace(n);
        WarmPsdProjection[] psd = new WarmPsdProjection[k];
        for (int b = 0; b < k; b++) {
            psd[b] = new WarmPsdProjection(workspace);
        }
        double rho = warm == null ? options.initialPenalty() : warm.rho();
        double primal = Double.POSITIVE_INFINITY;
        double dual = Double.POSITIVE_INFINITY;
        int iteration = 0;
        boolean converged = false;
        while (iteration < options.maxIterations()) {
            iteration++;
            double half = 0.5 / rho;
            for (int b = 0; b < k; b++) {
                for (int i = 0; i < nn; i++) {
                    work[b][i] = 0.5 * (y[b][i] - u1[b][i] + w[b][i] - u2[b][i]) - half * c[b][i];
                }
            }
            projectAffine(work, x, n);
            AdmmResiduals residuals = new AdmmResiduals();
            for (int b = 0; b < k; b++) {
                System.arraycopy(y[b], 0, yPrev, 0, nn);
                double[] shifted = work[b];
                for (int i = 0; i < nn; i++) {
                    shifted[i] = x[b][i] + u1[b][i];
                }
                psd[b].project(shifted, y[b]);
                residuals.update(x[b], y[b], yPrev, w[b], u1[b], u2[b]);
            }
            primal = residuals.primal();
            dual = residuals.dual(rho, cNorm);
            if (primal < options.tolerance() && dual < options.tolerance()) {
                converged = true;
                break;
            }
            if (iteration % KMeansSdp.REBALANCE_EVERY == 0) {
                double factor = AdmmResiduals.penaltyFactor(primal, dual);
                if (factor != 1) {
                    rho *= factor;
                    for (int b = 0; b < k; b++) {
                        for (int i = 0; i < nn; i++) {
                            u1[b][i] /= factor;
                            u2[b][i] /= factor;
                        }
                    }
                }
            }
        }
        return new Solution(y, iteration, primal, dual, converged, new Duals(u1, u2, rho));
    }

    /**
     * Euclidean projection of the symmetric K-tuple m onto {tr Z_k = 1, sum_k Z_k 1 = 1}. The normal
     * space is spanned by (I in block k) and (a 1^T + 1 a^T in every block), so
     * Z_k = M_k - (a 1^T + 1 a^T) - b_k I with, writing T = sum_k tr M_k, R = sum_k 1^T M_k 1 and
     * r = sum_k M_k 1: s = 1^T a = (R - T + K - n) / (2 K (n - 1)), b_k = (tr M_k - 2 s - 1) / n and
     * a_i = (r_i - K s - sum_k b_k - 1) / (K n).
     */
    static void projectAffine(double[][] m, double[][] out, int n) {
        int k = m.length;
        double[] rowSums = new double[n];
        double[] traces = new double[k];
        double total = 0;
        double traceTotal = 0;
        for (int b = 0; b < k; b++) {
            double[] mb = m[b];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += mb[i * n + j];
                }
                rowSums[i] += sum;
                total += sum;
                traces[b] += mb[i * n + i];
            }
            traceTotal += traces[b];
        }
        double s = (total - traceTotal + k - n) / (2.0 * k * (n - 1));
        double[] diagonalShift = new double[k];
        double shiftTotal = 0;
        for (int b = 0; b < k; b++) {
            diagonalShift[b] = (traces[b] - 2 * s - 1) / n;
            shiftTotal += diagonalShift[b];
        }
        double[] offset = new double[n];
        for (int i = 0; i < n; i++) {
            offset[i] = (rowSums[i] - k * s - shiftTotal - 1) / ((double) k * n);
        }
        for (int b = 0; b < k; b++) {
            double[] mb = m[b];
            double[] ob = out[b];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ob[i * n + j] = mb[i * n + j] - offset[i] - offset[j];
                }
                ob[i * n + i] -= diagonalShift[b];
            }
        }
    }

    /** The membership matrices B_k = 1_{G_k} 1_{G_k}^T / |G_k| of labels in 0..k-1 (zero for an empty G_k). */
    static double[][] memberships(int[] labels, int k) {
        int n = labels.length;
        int[] counts = new int[k];
        for (int label : labels) {
            counts[label]++;
        }
        double[][] z = new double[k][n * n];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            for (int j = 0; j < n; j++) {
                if (labels[j] == c) {
                    z[c][i * n + j] = 1.0 / counts[c];
                }
            }
        }
        return z;
    }

    /**
     * -(A_k - a 1^T - 1 a^T) / ||.||_F with a_i = (row mean i of the block average) - (its grand
     * mean) / 2; all zeros when that norm is zero.
     */
    private static double[][] scaledCosts(double[][] a, int n) {
        int k = a.length;
        double[] rowMeans = new double[n];
        double grand = 0;
        for (double[] ab : a) {
            if (ab.length != n * n) {
                throw new IllegalArgumentException("cost blocks must be " + n + " x " + n + ", got " + ab.length
                        + " values");
            }
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += ab[i * n + j];
                }
                rowMeans[i] += sum / ((double) k * n);
            }
        }
        for (double v : rowMeans) {
            grand += v / n;
        }
        double[] offset = new double[n];
        for (int i = 0; i < n; i++) {
            offset[i] = rowMeans[i] - grand / 2;
        }
        double[][] c = new double[k][n * n];
        for (int b = 0; b < k; b++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    c[b][i * n + j] = -(a[b][i * n + j] - offset[i] - offset[j]);
                }
            }
        }
        double norm = frobenius(c);
        if (norm > 0) {
            for (double[] cb : c) {
                for (int i = 0; i < cb.length; i++) {
                    cb[i] /= norm;
                }
            }
        }
        return c;
    }

    private static double frobenius(double[][] blocks) {
        double sum = 0;
        for (double[] block : blocks) {
            for (double v : block) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }
}
