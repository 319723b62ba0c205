package io.mixspark.sdp;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Projection onto the PSD cone for a sequence of nearby symmetric matrices (the ADMM iterates of
 * {@link KMeansSdp} and {@link CoupledBlockSdp}), computing only the few eigenpairs that matter.
 * One instance per sequence: it keeps the last eigenvectors as the next start.
 *
 * <p>With A the symmetrised input (or its negation, when the negative part has fewer terms, since
 * P(M) = M + P(-M)), the projection is sum over lambda_i &gt; 0 of lambda_i v_i v_i^T. It is
 * computed by Rayleigh-Ritz on the block Krylov space span[V, A V, ..., A^q V] (q =
 * {@value #KRYLOV_DEPTH}) of the last Ritz vectors V (the p positive ones and {@value #EXTRA} more),
 * repeated until every positive Ritz pair has a residual below {@value #RESIDUAL_TOLERANCE}
 * ||A||_F; the block grows when all its Ritz values are positive.
 *
 * <p><b>Certificate.</b> Ritz values are below the eigenvalues of the same rank (Cauchy
 * interlacing), so p positive Ritz values prove p positive eigenvalues. That there are no more,
 * i.e. lambda_{p+1}(A) &lt;= bound, is proved by a Cholesky factorisation of
 * S = bound I - A + sum_{i &lt;= p} (theta_i + ||A||_F) u_i u_i^T: the sum has rank p, so by Weyl's
 * inequality lambda_{p+1}(A) &lt;= lambda_1(A - sum) &lt; bound when S is positive definite. The
 * bound tried first is half the first non-positive Ritz value (a margin), then
 * {@value #ZERO_SLACK} ||A||_F (an eigenvalue that small changes the projection by at most that
 * much). A certified margin carries over to later matrices by Weyl's inequality,
 * lambda_{p+1}(A') &lt;= bound + ||A' - A||_F, so the Cholesky is repeated only when the iterates
 * have moved by more than the margin or the count p changed.
 *
 * <p><b>Fallback.</b> Whenever a sweep shrinks the largest residual by less than {@value #STALL}
 * times, the block does not converge in {@value #MAX_SWEEPS} sweeps, it would exceed n / 8 columns,
 * or the certificate fails, the projection is the full eigendecomposition of
 * {@link KMeansSdp.PsdProjection}, which also restarts the block. The block method pays off when
 * the positive eigenvalues are few and separated from the rest; iterates whose spectrum has a dense
 * cluster around zero (the coupled blocks of iLA-SDP before they settle) make it stall, so after a
 * failed attempt the next 1, 2, 4, ... (at most {@value #MAX_BACK_OFF}) calls go straight to the
 * full decomposition.
 */
final class WarmPsdProjection {

    /** Block columns beyond the positive count. */
    static final int EXTRA = 4;
    /** Rayleigh-Ritz sweeps before falling back to the full decomposition. */
    static final int MAX_SWEEPS = 8;
    /** Residual of a positive Ritz pair at convergence, relative to ||A||_F. */
    static final double RESIDUAL_TOLERANCE = 1e-10;
    /** A positive eigenvalue up to this times ||A||_F may be left out. */
    static final double ZERO_SLACK = 1e-12;
    /** Most calls to skip the block method after failed attempts. */
    static final int MAX_BACK_OFF = 64;
    /** A sweep must shrink the largest residual by this factor, or the block method gives up. */
    static final double STALL = 10;
    /** Powers of A in the Krylov space of one sweep. */
    static final int KRYLOV_DEPTH = 4;
    /** Below this size the full decomposition is cheap enough. */
    static final int MIN_PARTIAL_SIZE = 64;

    /** Benchmarks set this to time the full decomposition on the same solves. */
    static volatile boolean fullOnly;
    private int backOff;
    private int skipped;

    private final int n;
    private final int maxBlock;
    private final KMeansSdp.PsdProjection full;
    private final double[] a;
    private final double[] certified;
    private final double[] cholesky;
    private final Random random;
    private double[][] basis;
    private int sign = 1;
    private int certifiedPositives = -1;
    private double certifiedBound;
    private long partialCount;
    private long choleskyCount;
    private long fullCount;

    WarmPsdProjection(int n) {
        this(new Workspace(n));
    }

    /** A projection that shares the n x n scratch space of others used in turn (never concurrently). */
    WarmPsdProjection(Workspace workspace) {
        this.n = workspace.n;
        this.maxBlock = n / 8;
        this.full = workspace.full;
        this.a = workspace.a;
        this.cholesky = workspace.cholesky;
        this.certified = new double[n * n];
        this.random = new Random(n);
    }

    /**
     * The scratch space of a projection: the full decomposition and two n x n arrays, whose contents
     * do not outlive a call, so the K blocks of {@link CoupledBlockSdp} share one.
     */
    static final class Workspace {
        private final int n;
        private final KMeansSdp.PsdProjection full;
        private final double[] a;
        private final double[] cholesky;

        Workspace(int n) {
            this.n = n;
            this.full = new KMeansSdp.PsdProjection(n);
            this.a = new double[n * n];
            this.cholesky = new double[n * n];
        }
    }

    /** Projections done by the block method. */
    long partialCount() {
        return partialCount;
    }

    /** Cholesky certificates computed (the others carried over). */
    long choleskyCount() {
        return choleskyCount;
    }

    /** Projections done by the full decomposition. */
    long fullCount() {
        return fullCount;
    }

    void project(double[] m, double[] out) {
        long start = System.nanoTime();
        long fullBefore = fullCount;
        long choleskyBefore = choleskyCount;
        boolean partial = false;
        if (!fullOnly && n >= MIN_PARTIAL_SIZE && basis != null) {
            if (skipped < backOff) {
                skipped++;
            } else {
                partial = projectPartial(m, out);
                // After a failed attempt wait 1, 2, 4, ... calls before the next one.
                backOff = partial ? 0 : Math.min(Math.max(1, 2 * backOff), MAX_BACK_OFF);
                skipped = 0;
            }
        }
        if (!partial) {
            projectFull(m, out);
        }
        PsdClock.add(System.nanoTime() - start, fullCount > fullBefore, choleskyCount - choleskyBefore);
    }

    private boolean projectPartial(double[] m, double[] out) {
        double norm = symmetrise(m, sign, a);
        if (norm == 0) {
            Arrays.fill(out, 0);
            return true;
        }
        Ritz ritz = null;
        double[][] v = basis;
        double lastResidual = Double.POSITIVE_INFINITY;
        for (int sweep = 0; sweep < MAX_SWEEPS && ritz == null; sweep++) {
            Ritz r = rayleighRitz(v, norm);
            if (r.positives() < r.values().length && r.positives() > 0) {
                if (r.residual() * STALL > lastResidual) {
                    return false;
                }
                lastResidual = r.residual();
            }
            if (r.positives() == r.values().length) {
                // Every direction of the block is positive: widen it.
                if (r.positives() + EXTRA > maxBlock) {
                    return false;
                }
                v = padded(r.vectors(), r.positives() + EXTRA);
                continue;
            }
            if (r.positives() + EXTRA > maxBlock) {
                // A block this wide costs more than the full decomposition.
                return false;
            }
            v = padded(Arrays.copyOf(r.vectors(), Math.min(r.values().length, r.positives() + EXTRA)),
                    r.positives() + EXTRA);
            if (r.converged()) {
                ritz = r;
            }
        }
        if (ritz == null || !certify(ritz, norm)) {
            return false;
        }
        basis = v;
        partialCount++;
        assemble(ritz, out);
        return true;
    }

    /** out = sum over positive Ritz pairs of theta u u^T, or M plus that when working on -M. */
    private void assemble(Ritz ritz, double[] out) {
        int p = ritz.positives();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int e = 0; e < p; e++) {
                    double[] u = ritz.vectors()[e];
                    sum += ritz.values()[e] * u[i] * u[j];
                }
                if (sign < 0) {
                    sum -= a[i * n + j];
                }
                out[i * n + j] = sum;
                out[j * n + i] = sum;
            }
        }
    }

    private boolean certify(Ritz ritz, double norm) {
        int p = ritz.positives();
        double slack = ZERO_SLACK * norm;
        if (p == certifiedPositives && certifiedBound + distance(a, certified) <= slack) {
            return true;
        }
        double next = ritz.values()[p];
        if (next < -2 * slack && choleskyHolds(ritz, -0.5 * next, norm)) {
            certifiedBound = 0.5 * next;
        } else if (choleskyHolds(ritz, -slack, norm)) {
            certifiedBound = slack;
        } else {
            return false;
        }
        certifiedPositives = p;
        System.arraycopy(a, 0, certified, 0, a.length);
        return true;
    }

    /** Whether S = -margin I - A + sum_{i <= p} (theta_i + ||A||_F) u_i u_i^T is positive definite. */
    private boolean choleskyHolds(Ritz ritz, double margin, double norm) {
        choleskyCount++;
        int p = ritz.positives();
        double[] s = cholesky;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = -a[i * n + j];
                for (int e = 0; e < p; e++) {
                    double[] u = ritz.vectors()[e];
                    sum += (ritz.values()[e] + norm) * u[i] * u[j];
                }
                s[i * n + j] = sum;
            }
            s[i * n + i] -= margin;
        }
        return DenseKernels.choleskyLower(s, n);
    }

    /** Rayleigh-Ritz on the block Krylov space span[V, A V, ..., A^q V], Ritz pairs by decreasing value. */
    private Ritz rayleighRitz(double[][] v, double norm) {
        double[][] q = DenseKernels.orthonormalise(new double[0][], v, n);
        double[][] block = q;
        double[][] aq = new double[0][];
        for (int depth = 0; depth <= KRYLOV_DEPTH && block.length > 0; depth++) {
            double[][] product = DenseKernels.multiply(a, n, block);
            aq = concat(aq, product);
            if (depth < KRYLOV_DEPTH) {
                double[][] grown = DenseKernels.orthonormalise(q, product, n);
                block = Arrays.copyOfRange(grown, q.length, grown.length);
                q = grown;
            }
        }
        if (aq.length < q.length) {
            aq = concat(aq, DenseKernels.multiply(a, n, Arrays.copyOfRange(q, aq.length, q.length)));
        }
        int size = q.length;
        DMatrixRMaj h = new DMatrixRMaj(size, size);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j <= i; j++) {
                double hij = 0.5 * (DenseKernels.dot(q[i], aq[j]) + DenseKernels.dot(q[j], aq[i]));
                h.set(i, j, hij);
                h.set(j, i, hij);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(size, true, true);
        if (!eig.decompose(h)) {
            throw new IllegalStateException("symmetric eigendecomposition failed");
        }
        Integer[] order = new Integer[size];
        for (int e = 0; e < size; e++) {
            order[e] = e;
        }
        Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(y).real, eig.getEigenvalue(x).real));
        double[] values = new double[size];
        double[][] vectors = new double[size][n];
        int positives = 0;
        double largest = 0;
        double[] residual = new double[n];
        for (int e = 0; e < size; e++) {
            values[e] = eig.getEigenvalue(order[e]).real;
            double[] y = eig.getEigenVector(order[e]).data;
            Arrays.fill(residual, 0);
            for (int c = 0; c < size; c++) {
                DenseKernels.axpy(y[c], q[c], vectors[e]);
                DenseKernels.axpy(y[c], aq[c], residual);
            }
            if (values[e] > 0) {
                positives++;
                DenseKernels.axpy(-values[e], vectors[e], residual);
                largest = Math.max(largest, Math.sqrt(DenseKernels.dot(residual, residual)));
            }
        }
        return new Ritz(values, vectors, positives, largest <= RESIDUAL_TOLERANCE * norm, largest);
    }

    private static double[][] concat(double[][] x, double[][] y) {
        double[][] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    /** The given vectors followed by random ones up to the given count. */
    private double[][] padded(double[][] vectors, int count) {
        double[][] out = Arrays.copyOf(vectors, Math.max(count, vectors.length));
        for (int c = vectors.length; c < out.length; c++) {
            out[c] = new double[n];
            for (int i = 0; i < n; i++) {
                out[c][i] = random.nextGaussian();
            }
        }
        return out;
    }

    /** The full decomposition; it also restarts the block from the eigenvectors it found. */
    private void projectFull(double[] m, double[] out) {
        fullCount++;
        full.project(m, out);
        Integer[] order = new Integer[n];
        int positives = 0;
        for (int e = 0; e < n; e++) {
            order[e] = e;
            positives += full.eigenvalue(e) > 0 ? 1 : 0;
        }
        sign = positives <= n - positives ? 1 : -1;
        int s = sign;
        Arrays.sort(order, (x, y) -> Double.compare(s * full.eigenvalue(y), s * full.eigenvalue(x)));
        int p = sign > 0 ? positives : n - positives;
        int size = p + EXTRA;
        if (size > maxBlock || fullOnly || n < MIN_PARTIAL_SIZE) {
            basis = null;
            certifiedPositives = -1;
            return;
        }
        basis = new double[size][];
        for (int e = 0; e < size; e++) {
            basis[e] = full.eigenvector(order[e]).clone();
        }
        double norm = symmetrise(m, sign, certified);
        // The decomposition itself shows lambda_{p+1} of +-M; its own error is the slack.
        certifiedBound = sign * full.eigenvalue(order[p]) + ZERO_SLACK * norm;
        certifiedPositives = p;
    }

    /** out = sign (m + m^T) / 2; returns its Frobenius norm. */
    private double symmetrise(double[] m, int s, double[] out) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = s * m[i * n + i];
            out[i * n + i] = d;
            sum += d * d;
            for (int j = 0; j < i; j++) {
                double v = s * 0.5 * (m[i * n + j] + m[j * n + i]);
                out[i * n + j] = v;
                out[j * n + i] = v;
                sum += 2 * v * v;
            }
        }
        return Math.sqrt(sum);
    }

    private static double distance(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * Ritz values (decreasing), their unit vectors, how many are positive, whether those converged
     * and their largest residual norm.
     */
    private record Ritz(double[] values, double[][] vectors, int positives, boolean converged, double residual) {
    }
}
