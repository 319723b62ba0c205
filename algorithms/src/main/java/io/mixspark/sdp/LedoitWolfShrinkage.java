package io.mixspark.sdp;

/**
 * Ledoit-Wolf shrinkage of a sample covariance toward a scaled identity (Ledoit and Wolf, "A
 * well-conditioned estimator for large-dimensional covariance matrices", J. Multivariate Anal.
 * 88(2), 2004, section 3.3). With the norm ||M||^2 = tr(M M^T) / p, m = tr S / p,
 * d^2 = ||S - m I||^2 and, for the n centred rows x_k,
 *
 * <pre>
 *   b^2 = min(d^2, (1/n^2) sum_k ||x_k x_k^T - S||^2) = min(d^2, (sum_k |x_k|^4 - n tr(S^2)) / (n^2 p)),
 *   Sigma = (1 - rho) S + rho m I,   rho = b^2 / d^2,
 * </pre>
 *
 * with S the maximum-likelihood covariance (divided by n), as scikit-learn's {@code ledoit_wolf}.
 *
 * <p>How it differs from OAS (iLA-SDP's default, {@link ShrinkageRule}, because EM can share it):
 * the intensity is estimated from the rows' fourth moments,
 * not from a Gaussian model. A cluster that a wrong labelling has contaminated with rows of
 * another shape is not Gaussian, and Ledoit-Wolf shrinks it much harder than OAS would
 * (LedoitWolfShrinkageTest; the intensities are in docs/SDP.md, "Regularisation: Ledoit-Wolf and
 * OAS"). That stops such a cluster from keeping the foreign rows by fitting its covariance to
 * them. On a clean Gaussian cluster the two agree.
 */
public final class LedoitWolfShrinkage {

    private LedoitWolfShrinkage() {
    }

    /**
     * The intensity rho in [0, 1].
     *
     * @param covariance          symmetric p x p maximum-likelihood covariance of the rows, row-major
     * @param n                   number of rows, &gt;= 1
     * @param sumOfFourthPowers   sum over the centred rows of |x_k|^4
     * @throws IllegalArgumentException if the shapes disagree, n &lt; 1 or the sum is negative
     */
    public static double intensity(double[] covariance, int p, int n, double sumOfFourthPowers) {
        if (p < 1) {
            throw new IllegalArgumentException("p must be >= 1, got " + p);
        }
        if (covariance == null || covariance.length != (long) p * p) {
            throw new IllegalArgumentException("expected a " + p + " x " + p + " covariance, got "
                    + (covariance == null ? "none" : covariance.length + " values"));
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (!(sumOfFourthPowers >= 0)) {
            throw new IllegalArgumentException("sumOfFourthPowers must be >= 0, got " + sumOfFourthPowers);
        }
        double trace = 0;
        double traceOfSquare = 0;
        for (int i = 0; i < p; i++) {
            trace += covariance[i * p + i];
            for (int j = 0; j < p; j++) {
                double v = covariance[i * p + j];
                traceOfSquare += v * v;
            }
        }
        double m = trace / p;
        // ||S - m I||^2 = (tr S^2 - 2 m tr S + p m^2) / p = tr(S^2) / p - m^2.
        double distance = traceOfSquare / p - m * m;
        if (!(distance > 1e-14 * traceOfSquare / p)) {
            return 1.0; // S is already a multiple of I (or zero)
        }
        double spread = Math.max(sumOfFourthPowers - n * traceOfSquare, 0) / ((double) n * n * p);
        return Math.min(spread, distance) / distance;
    }

    /** (1 - rho) S + rho (tr S / p) I as a new array. */
    public static double[] shrink(double[] covariance, int p, double rho) {
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("rho must be in [0, 1], got " + rho);
        }
        double target = 0;
        for (int i = 0; i < p; i++) {
            target += covariance[i * p + i];
        }
        target /= p;
        double[] out = new double[p * p];
        for (int i = 0; i < p * p; i++) {
            out[i] = (1 - rho) * covariance[i];
        }
        for (int i = 0; i < p; i++) {
            out[i * p + i] += rho * target;
        }
        return out;
    }
}
