package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Non-negative low-rank Burer-Monteiro solver of the Peng-Wei k-means SDP (Zhuang, Chen, Yang and
 * Zhang, "Statistically optimal K-means clustering via nonnegative low-rank semidefinite
 * programming", ICLR 2024, arXiv 2305.18436; Burer and Monteiro, Math. Program. 95, 2003).
 *
 * <p>Z = U U^T with U n x r, r = 2K, U &gt;= 0 and ||U||_F^2 = K (so tr Z = K and Z &gt;= 0 hold by
 * construction). The remaining constraint Z 1 = 1 enters an augmented Lagrangian with penalty beta
 * and dual y (starting at 0). With y~ = y + beta (U U^T 1 - 1), each iteration takes the projected
 * gradient step
 *
 * <pre>
 *   grad = -2 X (X^T U) + y~ (1^T U) + 1 (y~^T U),   U &lt;- P(U - alpha grad),
 *   P(V) = max(V, 0) sqrt(K) / ||max(V, 0)||_F,
 * </pre>
 *
 * and the dual step y &lt;- y + beta (U U^T 1 - 1) once ||dU||_F / sqrt K &lt; 1e-3. X X^T U is
 * computed as X (X^T U), so an iteration costs O(n d r) and nothing n x n is formed. The authors'
 * code uses a fixed alpha = 1e-6; here alpha = 1 / (2 ||X||_2^2 + beta n), scaled to the data. The
 * rows are centred first (a constant change of the objective on the feasible set).
 *
 * <p><b>Stopping.</b> Either ||dU||_F / sqrt K and ||U U^T 1 - 1|| / sqrt n both fall below the
 * tolerance (the authors' rule, 1e-6), or, as the labels settle long before that, the rounded
 * labels ({@link SdpRounding#roundFactor}) agree up to relabelling over
 * {@link BurerMonteiroOptions#stableChecks()} consecutive checks while the infeasibility is below
 * {@link BurerMonteiroOptions#stableInfeasibility()}.
 *
 * <p>This version works on rows in memory; the sums X^T U, U^T 1 and U^T U are the per-partition
 * aggregates a distributed version would reduce.
 */
public final class BurerMonteiroSdp {

    private BurerMonteiroSdp() {
    }

    /**
     * @param points unweighted rows
     * @throws IllegalArgumentException if k is not in 1..n or a row weight differs from 1
     */
    public static BurerMonteiroResult fit(DataBlock points, int k, BurerMonteiroOptions options) {
        int n = points.rows();
        int d = points.d();
        KMeansSdp.requireInput(points, k, options);
        int r = 2 * k;
        double[] x = centred(points);
        double beta = options.beta();
        double alpha = 1 / (2 * spectralNormSquared(x, n, d) + beta * n);
        double sqrtK = Math.sqrt(k);
        double sqrtN = Math.sqrt(n);

        Random random = new Random(options.seed());
        double[] u = new double[n * r];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextDouble();
        }
        project(u, k);
        double[] y = new double[n];
        double[] next = new double[n * r];
        double[] xtu = new double[d * r];
        double[] s = new double[r];
        double[] us = new double[n];
        double[] yTilde = new double[n];
        double[] t = new double[r];

        int[] previousLabels = null;
        int agreeing = 0;
        double change = Double.POSITIVE_INFINITY;
        double infeasibility = rowSumError(u, n, r, s, us);
        boolean converged = false;
        boolean stable = false;
        int[] labels = null;
        int iteration = 0;
        while (iteration < options.maxIterations()) {
            iteration++;
            // s = U^T 1 and us = U s = U U^T 1 are current from the last rowSumError call.
            for (int i = 0; i < n; i++) {
                yTilde[i] = y[i] + beta * (us[i] - 1);
            }
            java.util.Arrays.fill(xtu, 0);
            java.util.Arrays.fill(t, 0);
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    double xa = x[i * d + a];
                    for (int j = 0; j < r; j++) {
                        xtu[a * r + j] += xa * u[i * r + j];
                    }
                }
                for (int j = 0; j < r; j++) {
                    t[j] += yTilde[i] * u[i * r + j];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < r; j++) {
                    double xxu = 0;
                    for (int a = 0; a < d; a++) {
                        xxu += x[i * d + a] * xtu[a * r + j];
                    }
                    double grad = -2 * xxu + yTilde[i] * s[j] + t[j];
                    next[i * r + j] = u[i * r + j] - alpha * grad;
                }
            }
            project(next, k);
            double moved = 0;
            for (int i = 0; i < u.length; i++) {
                double diff = next[i] - u[i];
                moved += diff * diff;
            }
            double[] swap = u;
            u = next;
            next = swap;
            change = Math.sqrt(moved) / sqrtK;
            infeasibility = rowSumError(u, n, r, s, us);
            if (change < options.dualStepThreshold()) {
                for (int i = 0; i < n; i++) {
                    y[i] += beta * (us[i] - 1);
                }
            }
            if (change < options.tolerance() && infeasibility < options.tolerance()) {
                converged = true;
                break;
            }
            if (iteration % options.labelCheckEvery() == 0) {
                labels = SdpRounding.roundFactor(u, n, r, k, new Random(options.seed()));
                boolean same = previousLabels != null
                        && ClusteringMetrics.misclusteringRate(previousLabels, labels) == 0;
                agreeing = same ? agreeing + 1 : 1;
                previousLabels = labels;
                if (agreeing >= options.stableChecks() && infeasibility < options.stableInfeasibility()) {
                    stable = true;
                    break;
                }
            }
        }
        if (!stable) {
            labels = SdpRounding.roundFactor(u, n, r, k, new Random(options.seed()));
        }
        return new BurerMonteiroResult(labels, k, u, r, objective(points, u, r), iteration, change, infeasibility,
                converged, stable);
    }

    /** P(V) = max(V, 0) sqrt(K) / ||max(V, 0)||_F, in place. */
    static void project(double[] v, int k) {
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] = 0;
            }
            norm += v[i] * v[i];
        }
        if (!(norm > 0)) {
            throw new IllegalStateException("the projected factor vanished; the step size is too large");
        }
        double scale = Math.sqrt(k / norm);
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
    }

    /**
     * ||U U^T 1 - 1|| / sqrt n, filling s = U^T 1 and us = U s. (A distributed version would use
     * s^T (U^T U) s - 2 s^T s + n instead, from r x r sums.)
     */
    static double rowSumError(double[] u, int n, int r, double[] s, double[] us) {
        java.util.Arrays.fill(s, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < r; j++) {
                s[j] += u[i * r + j];
            }
        }
        double error = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < r; j++) {
                sum += u[i * r + j] * s[j];
            }
            us[i] = sum;
            error += (sum - 1) * (sum - 1);
        }
        return Math.sqrt(error / n);
    }

    /** ||X^T U||_F^2 on the uncentred rows. */
    static double objective(DataBlock points, double[] u, int r) {
        int n = points.rows();
        int d = points.d();
        double[] v = points.values();
        double total = 0;
        for (int a = 0; a < d; a++) {
            for (int j = 0; j < r; j++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += v[i * d + a] * u[i * r + j];
                }
                total += sum * sum;
            }
        }
        return total;
    }

    /** ||X||_2^2, the largest eigenvalue of the d x d matrix X^T X. */
    private static double spectralNormSquared(double[] x, int n, int d) {
        DMatrixRMaj xm = DMatrixRMaj.wrap(n, d, x);
        DMatrixRMaj gram = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(xm, xm, gram);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("symmetric eigendecomposition failed");
        }
        double largest = 0;
        for (int e = 0; e < d; e++) {
            largest = Math.max(largest, eig.getEigenvalue(e).real);
        }
        return largest;
    }

    private static double[] centred(DataBlock points) {
        int n = points.rows();
        int d = points.d();
        double[] x = new double[n * d];
        System.arraycopy(points.values(), 0, x, 0, n * d);
        for (int a = 0; a < d; a++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * d + a];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                x[i * d + a] -= mean;
            }
        }
        return x;
    }
}
