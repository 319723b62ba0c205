package io.mixspark.gmm;

/**
 * Oracle Approximating Shrinkage of a covariance towards a scaled identity (Chen, Wiesel, Eldar
 * and Hero, "Shrinkage algorithms for MMSE covariance estimation", IEEE Trans. Signal Process.
 * 58(10), 2010), in scikit-learn's form ({@code sklearn.covariance.oas}): for the
 * maximum-likelihood covariance S (divisor n) of n rows in d dimensions,
 *
 * <pre>
 *   Sigma = (1 - rho) S + rho (tr S / d) I,
 *   rho   = min(1, (tr(S^2) + tr(S)^2) / ((n + 1) (tr(S^2) - tr(S)^2 / d))),
 * </pre>
 *
 * rho = 1 when S is already a multiple of the identity, and rho = 0 for d = 1, where every
 * intensity gives the same estimate. This is the paper's equation 23 without its 2/d terms, as
 * scikit-learn computes it (they vanish for large d).
 *
 * <p>Only S and n enter, so an M-step gets rho from the statistics it already has: n is the
 * effective count (the sum of responsibilities times row weights), which need not be whole.
 * With n &lt;= 1 (and d &gt; 1) the covariance carries no information beyond its trace, and rho is 1.
 * Reference values from scikit-learn: {@code OracleApproximatingShrinkageTest}.
 */
public final class OracleApproximatingShrinkage {

    private OracleApproximatingShrinkage() {
    }

    /** A shrunk covariance and the intensity that made it. */
    public record Shrunk(double[] covariance, double rho) {
    }

    /**
     * The intensity rho in [0, 1].
     *
     * @param covariance symmetric d x d maximum-likelihood covariance (divisor n), row-major
     * @param n          effective number of rows, &gt; 0
     * @throws IllegalArgumentException if the shapes disagree, n is not positive or S is not finite
     */
    public static double intensity(double[] covariance, int d, double n) {
        checkShape(covariance, d);
        if (!(n > 0) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("the effective count n must be positive and finite, got " + n);
        }
        if (d == 1) {
            return 0.0; // every intensity gives the same 1 x 1 estimate; scikit-learn reports 0
        }
        if (n <= 1) {
            return 1.0;
        }
        double trace = 0;
        double traceOfSquare = 0;
        for (int a = 0; a < d; a++) {
            trace += covariance[a * d + a];
            for (int b = 0; b < d; b++) {
                double v = covariance[a * d + b];
                traceOfSquare += v * v;
            }
        }
        if (!Double.isFinite(traceOfSquare)) {
            throw new IllegalArgumentException("the covariance has a value that is not finite");
        }
        double spread = traceOfSquare - trace * trace / d; // ||S - (tr S / d) I||_F^2
        if (!(spread > 1e-14 * traceOfSquare)) {
            return 1.0; // S is already a multiple of I (or zero)
        }
        return Math.min(1.0, (traceOfSquare + trace * trace) / ((n + 1) * spread));
    }

    /** (1 - rho) S + rho (tr S / d) I as a new array. */
    public static double[] shrink(double[] covariance, int d, double rho) {
        checkShape(covariance, d);
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("rho must be in [0, 1], got " + rho);
        }
        double target = 0;
        for (int a = 0; a < d; a++) {
            target += covariance[a * d + a];
        }
        target /= d;
        double[] out = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            out[i] = (1 - rho) * covariance[i];
        }
        for (int a = 0; a < d; a++) {
            out[a * d + a] += rho * target;
        }
        return out;
    }

    /** The OAS estimate of a covariance from n effective rows: {@link #intensity}, then {@link #shrink}. */
    public static Shrunk estimate(double[] covariance, int d, double n) {
        double rho = intensity(covariance, d, n);
        return new Shrunk(shrink(covariance, d, rho), rho);
    }

    private static void checkShape(double[] covariance, int d) {
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        if (covariance == null || covariance.length != (long) d * d) {
            throw new IllegalArgumentException("expected a " + d + " x " + d + " covariance, got "
                    + (covariance == null ? "none" : covariance.length + " values"));
        }
    }
}
