package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A certificate of optimality for a k-means partition from the dual of the Peng-Wei SDP (Peng and
 * Wei, "Approximating K-means-type clustering via semidefinite programming", SIAM J. Optim. 18(1),
 * 2007).
 *
 * <p><b>The bound.</b> With A = X X^T on the centred rows, the k-means cost of a partition G is
 * tr A - &lt;A, Z_G&gt;, where Z_G = sum_k 1_{G_k} 1_{G_k}^T / |G_k| is feasible for
 * maximise &lt;A, Z&gt; subject to Z PSD, Z &gt;= 0, Z 1 = 1, tr Z = K. For any vector y and any
 * symmetric B &gt;= 0, the Lagrangian gives, for every feasible Z,
 * &lt;A, Z&gt; &lt;= U = 1^T y + K lambda_max(A + B - (y 1^T + 1 y^T) / 2) (weak duality: z =
 * lambda_max makes (y, z, B) dual feasible). So tr A - U is a lower bound on the cost of every
 * partition into K clusters, whatever (y, B) are: accuracy of the multipliers only affects how
 * tight it is. Costs are sums of squares, so the bound is also clamped at 0.
 *
 * <p><b>The multipliers.</b> Two choices are tried and the larger bound kept:
 * <ul>
 *   <li>the ADMM's own dual estimate ({@link Multipliers}, from {@link KMeansSdp}), if given;</li>
 *   <li>the multipliers constructed from the candidate partition by complementary slackness,
 *       as in the dual certificate of Iguchi, Mixon, Peterson and Villar ("Probably certifiably
 *       correct k-means clustering", Math. Program. 165, 2017): B vanishes inside the clusters,
 *       S = (y 1^T + 1 y^T)/2 + z I - B - A annihilates every 1_{G_k}, which fixes y up to z, and
 *       each off-diagonal block of B is the rank-one matrix with the required row and column sums.
 *       Its dual value is exactly &lt;A, Z_G&gt; for any z, so the bound equals the partition's cost
 *       when S is PSD for the chosen z, the largest that keeps B &gt;= 0. When the relaxation is
 *       tight this usually certifies the partition to rounding error, however loosely the ADMM
 *       was solved.</li>
 * </ul>
 *
 * <p><b>Rounding.</b> lambda_max comes from EJML's symmetric eigendecomposition, which is backward
 * stable: the computed eigenvalues are exact for M + E with ||E||_2 &lt;= c n eps ||M||_2 for a
 * modest c (Golub and Van Loan, "Matrix Computations", 4th ed., section 8.3), hence within that of
 * the true ones by Weyl's inequality. Forming A by d-term dot products perturbs it by at most
 * d eps tr A in norm, and 1^T y by n eps sum |y_i|. The bound subtracts four times these. The
 * rounding of the centring itself is not counted: it shifts the rows by about eps times their
 * magnitude, which the partition's cost does not see beyond that order, far below {@link #TOLERANCE}
 * unless the rows lie 1e9 times their spread from the origin.
 *
 * @param primalObjective k-means cost implied by the SDP solution, tr A - &lt;A, Z&gt; (NaN without
 *                        a solution); the solver's Z meets the constraints only to its tolerance,
 *                        so this may fall on either side of dualBound
 * @param dualBound       a lower bound on the k-means cost of every partition into K clusters
 * @param partitionCost   k-means cost of the candidate partition (sum of squared distances to its
 *                        cluster means)
 * @param relativeGap     (partitionCost - dualBound) / partitionCost (0 when both are 0)
 * @param certifiedOptimal whether |relativeGap| is at most {@link #TOLERANCE}: no partition costs
 *                        less, up to that relative precision
 */
public record KMeansSdpCertificate(double primalObjective, double dualBound, double partitionCost,
        double relativeGap, boolean certifiedOptimal) {

    /**
     * Relative gap under which the partition is certified optimal. The partition-built multipliers
     * close the gap to rounding error (about n eps) when the relaxation is tight, far below it; an
     * unsolved relaxation leaves gaps of 1e-3 and more.
     */
    public static final double TOLERANCE = 1e-6;

    private static final double EPS = Math.ulp(1.0);

    /**
     * Multipliers of the constraints Z 1 = 1 (y, length n) and Z &gt;= 0 (b, n x n row-major,
     * symmetric and nonnegative), in the units of A = X X^T on the centred rows.
     */
    public record Multipliers(double[] y, double[] b) {
        public Multipliers {
            if (y == null || b == null || (long) y.length * y.length != b.length) {
                throw new IllegalArgumentException("y must have n entries and b n x n");
            }
        }
    }

    /**
     * Certifies {@code labels} as a k-means partition of {@code points}.
     *
     * @param z    the SDP solution (row-major n x n) for primalObjective, or null
     * @param dual the solver's multipliers, or null to use only those built from the partition
     * @throws IllegalArgumentException if the labels are not a partition of the rows into k nonempty
     *                                  clusters
     */
    public static KMeansSdpCertificate certify(DataBlock points, int k, int[] labels, double[] z, Multipliers dual) {
        int n = points.rows();
        int[] sizes = sizes(labels, n, k);
        double[] a = centredGram(points);
        double traceA = 0;
        for (int i = 0; i < n; i++) {
            traceA += a[i * n + i];
        }
        double cost = cost(points, labels, k);
        double primal = Double.NaN;
        if (z != null) {
            if (z.length != n * n) {
                throw new IllegalArgumentException("z must be " + n + " x " + n + ", got " + z.length + " values");
            }
            double inner = 0;
            for (int i = 0; i < n * n; i++) {
                inner += a[i] * z[i];
            }
            primal = traceA - inner;
        }
        double bound;
        if (k == 1 || k == n) {
            // Only one partition into k nonempty clusters exists.
            bound = cost;
        } else {
            Bounds bounds = new Bounds(points.d(), k, a, traceA);
            bound = new PartitionDual(a, labels, k, sizes).bound(bounds);
            if (dual != null) {
                if (dual.y().length != n) {
                    throw new IllegalArgumentException("multipliers for " + dual.y().length + " rows, expected " + n);
                }
                bound = Math.max(bound, bounds.upperToLower(dual.y(), dual.b()));
            }
            bound = Math.max(bound, 0);
        }
        double gap = cost == 0 && bound == 0 ? 0 : (cost - bound) / Math.max(Math.abs(cost), Double.MIN_NORMAL);
        // A bound above the cost beyond rounding would be a defect, never a certificate.
        return new KMeansSdpCertificate(primal, bound, cost, gap, Math.abs(gap) <= TOLERANCE);
    }

    /** Cluster sizes, checking the labels form a partition into k nonempty clusters. */
    static int[] sizes(int[] labels, int n, int k) {
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException("need one label per row (" + n + ")");
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + ", got " + k);
        }
        int[] sizes = new int[k];
        for (int label : labels) {
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("labels must lie in 0.." + (k - 1) + ", got " + label);
            }
            sizes[label]++;
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] == 0) {
                throw new IllegalArgumentException("cluster " + c + " is empty");
            }
        }
        return sizes;
    }

    /** Sum of squared distances of the rows to their cluster means. */
    static double cost(DataBlock points, int[] labels, int k) {
        double[] centres = SketchAndLift.centroids(points, labels, k);
        int d = points.d();
        double[] v = points.values();
        double total = 0;
        for (int i = 0; i < points.rows(); i++) {
            for (int c = 0; c < d; c++) {
                double diff = v[i * d + c] - centres[labels[i] * d + c];
                total += diff * diff;
            }
        }
        return total;
    }

    /** X X^T of the centred rows, row-major n x n. */
    static double[] centredGram(DataBlock points) {
        int n = points.rows();
        int d = points.d();
        double[] x = points.values().clone();
        for (int c = 0; c < d; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * d + c];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                x[i * d + c] -= mean;
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += x[i * d + c] * x[j * d + c];
                }
                a[i * n + j] = dot;
                a[j * n + i] = dot;
            }
        }
        return a;
    }

    /** Turns multipliers into the lower bound tr A - U, with the rounding allowance. */
    static final class Bounds {
        private final int n;
        private final int d;
        private final int k;
        private final double[] a;
        private final double traceA;
        private final DMatrixRMaj m;
        private final EigenDecomposition_F64<DMatrixRMaj> eig;

        Bounds(int d, int k, double[] a, double traceA) {
            this.n = (int) Math.round(Math.sqrt(a.length));
            this.d = d;
            this.k = k;
            this.a = a;
            this.traceA = traceA;
            this.m = new DMatrixRMaj(n, n);
            this.eig = DecompositionFactory_DDRM.eig(n, false, true);
        }

        /** tr A - (1^T y + K lambda_max(A + B' - (y 1^T + 1 y^T)/2)), B' = max(sym(b), 0). */
        double upperToLower(double[] y, double[] b) {
            double frobenius2 = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double bij = Math.max(0.5 * (b[i * n + j] + b[j * n + i]), 0);
                    double v = a[i * n + j] + (i == j ? 0 : bij) - 0.5 * (y[i] + y[j]);
                    m.data[i * n + j] = v;
                    frobenius2 += v * v;
                }
            }
            // B's diagonal is left at 0: that is still B >= 0, and a nonnegative diagonal could
            // only raise lambda_max.
            if (!eig.decompose(eig.inputModified() ? m.copy() : m)) {
                throw new IllegalStateException("symmetric eigendecomposition failed");
            }
            double lambdaMax = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < n; e++) {
                lambdaMax = Math.max(lambdaMax, eig.getEigenvalue(e).real);
            }
            double sumY = 0;
            double sumAbsY = 0;
            for (double v : y) {
                sumY += v;
                sumAbsY += Math.abs(v);
            }
            double allowance = 4 * EPS * (k * (n * Math.sqrt(frobenius2) + d * traceA) + n * sumAbsY);
            return traceA - (sumY + k * lambdaMax) - allowance;
        }
    }

    /**
     * The multipliers built from the partition by complementary slackness, as functions of z: y is
     * affine in z, each off-diagonal block of B the rank-one matrix u_ab u_ba^T / (1^T u_ab) with
     * u_ab = B_ab 1 affine in z. B &gt;= 0 holds for z up to zMax.
     */
    static final class PartitionDual {
        private final int n;
        private final int k;
        private final int[] labels;
        private final int[] sizes;
        /** (A 1_c)_i, row-major n x k. */
        private final double[] rowSums;
        /** 1_c^T A 1_c. */
        private final double[] blockSums;

        PartitionDual(double[] a, int[] labels, int k, int[] sizes) {
            this.n = labels.length;
            this.k = k;
            this.labels = labels;
            this.sizes = sizes;
            this.rowSums = new double[n * k];
            this.blockSums = new double[k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    rowSums[i * k + labels[j]] += a[i * n + j];
                }
            }
            for (int i = 0; i < n; i++) {
                blockSums[labels[i]] += rowSums[i * k + labels[i]];
            }
        }

        /** y_i for i in cluster c: (2/n_c) (A 1_c)_i - 1_c^T A 1_c / n_c^2 - z / n_c. */
        double[] y(double z) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                double size = sizes[c];
                y[i] = 2 * rowSums[i * k + c] / size - blockSums[c] / (size * size) - z / size;
            }
            return y;
        }

        /** (u_ab)_i for i in a = (n_b y_i + 1^T y_b) / 2 - (A 1_b)_i, with 1^T y_b = 1_b^T A 1_b / n_b - z. */
        private double u(int i, int b, double[] y, double z) {
            return 0.5 * (sizes[b] * y[i] + blockSums[b] / sizes[b] - z) - rowSums[i * k + b];
        }

        /** The largest z at which every u_ab is nonnegative (each decreases in z). */
        double zMax() {
            double[] y0 = y(0);
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                int a = labels[i];
                for (int b = 0; b < k; b++) {
                    if (b != a) {
                        double slope = 0.5 * ((double) sizes[b] / sizes[a] + 1);
                        best = Math.min(best, u(i, b, y0, 0) / slope);
                    }
                }
            }
            return best;
        }

        /** B at z, row-major n x n, with negative u entries clamped to 0. */
        double[] b(double z, double[] y) {
            double[] u = new double[n * k];
            double[] totals = new double[k * k];
            for (int i = 0; i < n; i++) {
                int a = labels[i];
                for (int c = 0; c < k; c++) {
                    if (c != a) {
                        double v = Math.max(u(i, c, y, z), 0);
                        u[i * k + c] = v;
                        totals[a * k + c] += v;
                    }
                }
            }
            double[] b = new double[n * n];
            for (int i = 0; i < n; i++) {
                int a = labels[i];
                for (int j = 0; j < n; j++) {
                    int c = labels[j];
                    // The two sums agree unless clamping changed one; either keeps B >= 0 and symmetric.
                    double total = Math.max(totals[a * k + c], totals[c * k + a]);
                    if (c != a && total > 0) {
                        b[i * n + j] = u[i * k + c] * u[j * k + a] / total;
                    }
                }
            }
            return b;
        }

        /**
         * The bound at z = zMax. Raising z adds z I on the complement of the cluster indicators,
         * where B's rank-one blocks grow only as 1 / (1^T u_ab), so the largest z that keeps
         * B &gt;= 0 is taken.
         */
        double bound(Bounds bounds) {
            double z = zMax();
            double[] y = y(z);
            return bounds.upperToLower(y, b(z, y));
        }
    }
}
