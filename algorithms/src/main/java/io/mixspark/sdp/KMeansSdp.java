package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Dense solver of the Peng-Wei semidefinite relaxation of k-means (Peng and Wei, "Approximating
 * K-means-type clustering via semidefinite programming", SIAM J. Optim. 18(1), 2007):
 *
 * <pre>
 *   maximise &lt;A, Z&gt;,  A = X X^T,  subject to  Z PSD,  Z &gt;= 0,  Z 1 = 1,  tr Z = K.
 * </pre>
 *
 * <p>The k-means partition G_1..G_K corresponds to Z = sum_k 1_{G_k} 1_{G_k}^T / |G_k|; above the
 * separation threshold of Chen and Yang (IEEE Trans. Inf. Theory 67(6), 2021) the relaxation is
 * tight and returns exactly that matrix. Rows are centred first, which changes &lt;A, Z&gt; only
 * by a constant on the feasible set (Z 1 = 1) and improves the conditioning.
 *
 * <p><b>Algorithm.</b> Two-block ADMM (Boyd et al., "Distributed optimization and statistical
 * learning via the alternating direction method of multipliers", FnT ML 3(1), 2011, sections 3 and
 * 5) on the splitting
 *
 * <pre>
 *   minimise &lt;C, X&gt; + I_L(X) + I_PSD(Y) + I_{&gt;=0}(W)  subject to  X = Y,  X = W,
 * </pre>
 *
 * with C = -A / ||A||_F and L the affine set {Z symmetric : Z 1 = 1, tr Z = K}. The X-step is a
 * closed-form projection onto L, the Y-step a projection onto the PSD cone by EJML's symmetric
 * eigendecomposition, the W-step a clamp at zero; Y and W together form the second block, so the
 * classical two-block convergence theory applies. The penalty rho is rebalanced every
 * {@value #REBALANCE_EVERY} iterations when one residual exceeds the other tenfold (Boyd et al.,
 * section 3.4.1).
 *
 * <p><b>Stopping.</b> With r = ||(X - Y, X - W)||_F and s = rho ||(Y - Y_prev) + (W - W_prev)||_F
 * (the primal and dual residuals of Boyd et al., section 3.3), the solver stops when
 * r / max(sqrt 2 ||X||_F, ||(Y, W)||_F) and s / max(||C||_F, rho ||U_1 + U_2||_F) are both below
 * {@link SdpOptions#tolerance()}; U_1, U_2 are the scaled duals. The returned Z is the PSD iterate
 * Y; its nonnegativity and affine constraints hold to about the primal residual.
 *
 * <p><b>Certificate.</b> The result carries a {@link KMeansSdpCertificate} of the rounded labels,
 * from the ADMM's duals and from multipliers built from the labels.
 *
 * <p><b>Cost.</b> One PSD projection per iteration by {@link WarmPsdProjection}: once the iterate
 * has settled near rank K, a warm-started block method with a certificate, O(n^2 K) plus an
 * occasional O(n^3 / 6) Cholesky; before that, or whenever the certificate fails, a full n x n
 * symmetric eigendecomposition, O(n^3). Meant for n up to a few thousand; for larger n use
 * {@link SketchAndLift}.
 */
public final class KMeansSdp {

    /** Iterations between penalty updates. */
    static final int REBALANCE_EVERY = 10;

    private KMeansSdp() {
    }

    /**
     * Solves the SDP for the rows of {@code points} and rounds it to k clusters with
     * {@link SdpRounding}.
     *
     * @param points rows to cluster; weights, if present, must all be 1 (the relaxation is unweighted)
     * @throws IllegalArgumentException if k is not in 1..n or a row weight differs from 1
     */
    public static SdpResult fit(DataBlock points, int k, SdpOptions options) {
        int n = points.rows();
        int d = points.d();
        requireInput(points, k, options);
        double[] x = centred(points);
        if (k == n) {
            double[] identity = new double[n * n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                identity[i * n + i] = 1;
                labels[i] = i;
            }
            return new SdpResult(labels, k, objective(points, identity), 0, 0, 0, true, identity,
                    KMeansSdpCertificate.certify(points, k, labels, identity, null));
        }
        DMatrixRMaj xm = DMatrixRMaj.wrap(n, d, x);
        DMatrixRMaj gram = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(xm, xm, gram);
        double norm = frobenius(gram.data);
        double[] c = gram.data;
        double scale = norm > 0 ? -1.0 / norm : 0;
        for (int i = 0; i < c.length; i++) {
            c[i] *= scale;
        }
        double cNorm = norm > 0 ? 1 : 0;

        int nn = n * n;
        double[] xv = feasibleStart(n, k);
        double[] y = xv.clone();
        double[] w = xv.clone();
        double[] u1 = new double[nn];
        double[] u2 = new double[nn];
        double[] yPrev = new double[nn];
        double[] work = new double[nn];
        WarmPsdProjection psd = new WarmPsdProjection(n);
        double rho = options.initialPenalty();
        double primal = Double.POSITIVE_INFINITY;
        double dual = Double.POSITIVE_INFINITY;
        int iteration = 0;
        boolean converged = false;
        while (iteration < options.maxIterations()) {
            iteration++;
            double half = 0.5 / rho;
            for (int i = 0; i < nn; i++) {
                work[i] = 0.5 * (y[i] - u1[i] + w[i] - u2[i]) - half * c[i];
            }
            projectAffine(work, xv, n, k);
            System.arraycopy(y, 0, yPrev, 0, nn);
            for (int i = 0; i < nn; i++) {
                work[i] = xv[i] + u1[i];
            }
            psd.project(work, y);
            AdmmResiduals residuals = new AdmmResiduals();
            residuals.update(xv, y, yPrev, w, u1, u2);
            primal = residuals.primal();
            dual = residuals.dual(rho, cNorm);
            if (primal < options.tolerance() && dual < options.tolerance()) {
                converged = true;
                break;
            }
            if (iteration % REBALANCE_EVERY == 0) {
                double factor = AdmmResiduals.penaltyFactor(primal, dual);
                if (factor != 1) {
                    rho *= factor;
                    for (int i = 0; i < nn; i++) {
                        u1[i] /= factor;
                        u2[i] /= factor;
                    }
                }
            }
        }
        int[] labels = SdpRounding.round(y, n, k, new Random(options.roundingSeed()));
        KMeansSdpCertificate certificate = KMeansSdpCertificate.certify(points, k, labels, y,
                multipliers(c, u1, u2, rho, norm, n));
        return new SdpResult(labels, k, objective(points, y), iteration, primal, dual, converged, y, certificate);
    }

    /**
     * The multipliers of Z 1 = 1 and Z &gt;= 0 in the units of A, from the unscaled duals
     * L_1 = rho U_1 (PSD constraint) and L_2 = rho U_2 (nonnegativity). At a solution
     * C + L_1 + L_2 = -(a 1^T + 1 a^T + b I), with C = -A / ||A||_F, so y = 2 ||A||_F a, where
     * a comes from projecting -(C + L_1 + L_2) onto that normal space of the affine constraints,
     * and B = -||A||_F L_2, symmetrised and clamped at 0. Any values give a valid bound; these make
     * it close.
     */
    static KMeansSdpCertificate.Multipliers multipliers(double[] c, double[] u1, double[] u2, double rho,
                                                        double norm, int n) {
        // Normal part of g = -(C + L_1 + L_2) for {Z 1 = 0, tr Z = 0}: g - (a 1^T + 1 a^T) - beta I
        // has zero row sums and trace for beta = (tr g - 1^T g 1 / n) / (n - 1),
        // s = (1^T g 1 - n beta) / (2 n) and a_i = ((g 1)_i - s - beta) / n (projectAffine's
        // formulas with zero right-hand sides). Only g's row sums and trace are needed.
        double[] b = new double[n * n];
        double[] rowSums = new double[n];
        double total = 0;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                int ij = i * n + j;
                double g = -(c[ij] + rho * (u1[ij] + u2[ij]));
                sum += g;
                if (i == j) {
                    trace += g;
                }
                b[ij] = Math.max(-norm * 0.5 * rho * (u2[ij] + u2[j * n + i]), 0);
            }
            rowSums[i] = sum;
            total += sum;
        }
        double beta = (trace - total / n) / (n - 1);
        double s = (total - n * beta) / (2.0 * n);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = 2 * norm * (rowSums[i] - s - beta) / n;
        }
        return new KMeansSdpCertificate.Multipliers(y, b);
    }

    /** &lt;X X^T, Z&gt; = sum over columns a of x_a^T Z x_a, on the uncentred rows. */
    static double objective(DataBlock points, double[] z) {
        int n = points.rows();
        int d = points.d();
        double[] v = points.values();
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double zij = z[i * n + j];
                if (zij != 0) {
                    double dot = 0;
                    for (int a = 0; a < d; a++) {
                        dot += v[i * d + a] * v[j * d + a];
                    }
                    total += zij * dot;
                }
            }
        }
        return total;
    }

    /**
     * Euclidean projection of the symmetric matrix m onto {Z : Z 1 = 1, tr Z = K}: Z = m - (a 1^T +
     * 1 a^T) - b I, with b = (tr m - 1^T m 1 / n + 1 - K) / (n - 1), s = 1^T a =
     * (1^T m 1 - n - n b) / (2 n) and a_i = ((m 1)_i - 1 - s - b) / n.
     */
    static void projectAffine(double[] m, double[] out, int n, int k) {
        double[] rowSums = new double[n];
        double total = 0;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += m[i * n + j];
            }
            rowSums[i] = sum;
            total += sum;
            trace += m[i * n + i];
        }
        double b = (trace - total / n + 1 - k) / (n - 1);
        double s = (total - n - n * b) / (2.0 * n);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rowSums[i] - 1 - s - b) / n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = m[i * n + j] - a[i] - a[j];
            }
            out[i * n + i] -= b;
        }
    }

    /** The feasible point alpha I + beta 1 1^T with alpha = (K-1)/(n-1) and beta = (1 - alpha)/n. */
    static double[] feasibleStart(int n, int k) {
        double alpha = (k - 1.0) / (n - 1.0);
        double beta = (1 - alpha) / n;
        double[] z = new double[n * n];
        java.util.Arrays.fill(z, beta);
        for (int i = 0; i < n; i++) {
            z[i * n + i] += alpha;
        }
        return z;
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

    private static double frobenius(double[] m) {
        double sum = 0;
        for (double v : m) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /**
     * Projection onto the PSD cone by EJML's full symmetric eigendecomposition: the positive part
     * V_+ diag(lambda_+) V_+^T, or m minus the negative part when that has fewer terms. The exact
     * reference of {@link WarmPsdProjection}, which falls back to it; after {@link #project} the
     * eigenpairs of the symmetrised input stay readable. Buffers are allocated once per size.
     */
    static final class PsdProjection {
        private final int n;
        private final EigenDecomposition_F64<DMatrixRMaj> eig;
        private final DMatrixRMaj input;
        private final DMatrixRMaj factor;
        private final DMatrixRMaj product;

        PsdProjection(int n) {
            this.n = n;
            this.eig = DecompositionFactory_DDRM.eig(n, true, true);
            this.input = new DMatrixRMaj(n, n);
            this.factor = new DMatrixRMaj(n, 1);
            this.product = new DMatrixRMaj(n, n);
        }

        void project(double[] m, double[] out) {
            // Symmetrise against rounding drift before decomposing.
            for (int i = 0; i < n; i++) {
                input.data[i * n + i] = m[i * n + i];
                for (int j = 0; j < i; j++) {
                    double v = 0.5 * (m[i * n + j] + m[j * n + i]);
                    input.data[i * n + j] = v;
                    input.data[j * n + i] = v;
                }
            }
            if (!eig.decompose(eig.inputModified() ? input.copy() : input)) {
                throw new IllegalStateException("symmetric eigendecomposition failed");
            }
            int positive = 0;
            for (int e = 0; e < n; e++) {
                if (eig.getEigenvalue(e).real > 0) {
                    positive++;
                }
            }
            boolean keepPositive = positive <= n - positive;
            int terms = keepPositive ? positive : n - positive;
            factor.reshape(n, Math.max(terms, 1));
            int column = 0;
            for (int e = 0; e < n; e++) {
                double lambda = eig.getEigenvalue(e).real;
                if ((lambda > 0) == keepPositive && (keepPositive || lambda < 0)) {
                    double root = Math.sqrt(Math.abs(lambda));
                    DMatrixRMaj v = eig.getEigenVector(e);
                    for (int i = 0; i < n; i++) {
                        factor.data[i * factor.numCols + column] = root * v.data[i];
                    }
                    column++;
                }
            }
            if (column > 0) {
                DMatrixRMaj used = column == factor.numCols ? factor
                        : CommonOps_DDRM.extract(factor, 0, n, 0, column);
                CommonOps_DDRM.multTransB(used, used, product);
            } else {
                product.zero();
            }
            if (keepPositive) {
                System.arraycopy(product.data, 0, out, 0, n * n);
            } else {
                // m - (negative part) with the negative part -V_- |lambda_-| V_-^T: m + product.
                for (int i = 0; i < n * n; i++) {
                    out[i] = input.data[i] + product.data[i];
                }
            }
        }

        /** Eigenvalue e (in EJML's order) of the last projected matrix. */
        double eigenvalue(int e) {
            return eig.getEigenvalue(e).real;
        }

        /** Unit eigenvector e of the last projected matrix (EJML's storage, do not modify). */
        double[] eigenvector(int e) {
            return eig.getEigenVector(e).data;
        }
    }

    /** The checks every k-means SDP solver makes: options given, 1 <= k <= n, unit row weights. */
    static void requireInput(DataBlock points, int k, Object options) {
        int n = points.rows();
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + " for " + n + " rows, got " + k);
        }
        for (int i = 0; i < n; i++) {
            if (points.weight(i) != 1.0) {
                throw new IllegalArgumentException("the k-means SDP is unweighted; row " + i + " has weight "
                        + points.weight(i));
            }
        }
    }
}
