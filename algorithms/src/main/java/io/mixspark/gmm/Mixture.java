package io.mixspark.gmm;

import io.mixspark.linalg.Cholesky;
import java.util.Arrays;
import java.util.Random;

/**
 * An immutable Gaussian mixture: weights, means and covariances of one {@link CovarianceType},
 * kept with the precision Cholesky factors and log-determinants that scoring needs, so that no
 * row ever inverts a matrix.
 *
 * <p>Covariances are stored per type: {@code full} and {@code tied} as row-major d x d arrays
 * (tied components share one array), {@code diag} as d variances, {@code spherical} as one
 * variance. Precision factors follow the same shapes: an upper-triangular P with
 * P P^T = Sigma^{-1} for full and tied, 1/sqrt(variance) otherwise.
 */
public final class Mixture implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final double WEIGHT_SUM_TOLERANCE = 1e-6;

    private final CovarianceType type;
    private final int k;
    private final int d;
    private final double[] weights;
    private final double[][] means;
    private final double[][] covariances;
    private final double[][] precisionFactors;
    private final double[] logDetPrecisionFactors;
    private final double[] logWeights;
    private final double[] meansFlat;

    /**
     * @param weights     mixing weights, non-negative, summing to 1 (renormalised exactly)
     * @param means       k rows of d means
     * @param covariances per component, in the shape of {@code type} (see the class comment)
     * @throws IllegalArgumentException naming the first bad value, or a covariance that is not
     *                                  positive definite
     */
    public Mixture(CovarianceType type, double[] weights, double[][] means, double[][] covariances) {
        if (type == null || weights == null || means == null || covariances == null) {
            throw new IllegalArgumentException("type, weights, means and covariances are required");
        }
        this.type = type;
        this.k = weights.length;
        if (k < 1) {
            throw new IllegalArgumentException("a mixture needs at least one component, got 0");
        }
        if (means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("expected " + k + " means and covariances, got "
                    + means.length + " means and " + covariances.length + " covariances");
        }
        this.d = means[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got 0");
        }
        this.weights = normalisedWeights(weights);
        this.means = new double[k][];
        this.meansFlat = new double[k * d];
        for (int c = 0; c < k; c++) {
            if (means[c].length != d) {
                throw new IllegalArgumentException("mean " + c + " has " + means[c].length
                        + " values, expected " + d);
            }
            requireFinite(means[c], "mean " + c);
            this.means[c] = means[c].clone();
            System.arraycopy(means[c], 0, meansFlat, c * d, d);
        }
        this.covariances = new double[k][];
        this.precisionFactors = new double[k][];
        this.logDetPrecisionFactors = new double[k];
        this.logWeights = new double[k];
        for (int c = 0; c < k; c++) {
            logWeights[c] = Math.log(this.weights[c]);
            boolean shared = type.storage() == CovarianceStorage.TIED && c > 0;
            if (shared) {
                this.covariances[c] = this.covariances[0];
                precisionFactors[c] = precisionFactors[0];
                logDetPrecisionFactors[c] = logDetPrecisionFactors[0];
                continue;
            }
            double[] cov = covariances[type.storage() == CovarianceStorage.TIED ? 0 : c];
            this.covariances[c] = checkedCovariance(cov, c);
            this.precisionFactors[c] = precisionFactorOf(this.covariances[c], c);
            this.logDetPrecisionFactors[c] = logDetOf(this.precisionFactors[c]);
        }
        if (type.storage() == CovarianceStorage.TIED) {
            Arrays.fill(this.covariances, this.covariances[0]);
        }
    }

    /**
     * Builds a mixture from full d x d covariance matrices, which must have the structure of
     * {@code type}: diagonal for diag, a multiple of the identity for spherical, all equal for
     * tied. The values kept are copied exactly, so a mixture round-trips through
     * {@link #covarianceMatrix(int)}.
     *
     * @throws IllegalArgumentException naming the component whose matrix lacks that structure
     */
    public static Mixture fromFullCovariances(CovarianceType type, double[] weights, double[][] means,
                                              double[][][] covariances) {
        int k = covariances.length;
        double[][] packed = new double[k][];
        for (int c = 0; c < k; c++) {
            double[][] m = covariances[c];
            double[] flat = flatten(m);
            int d = m.length;
            packed[c] = switch (type.storage()) {
                case FULL -> flat;
                case TIED -> {
                    if (c > 0 && !Arrays.equals(flat, packed[0])) {
                        throw new IllegalArgumentException("covariance " + c + " of a " + type.id() + " mixture differs from covariance 0");
                    }
                    yield flat;
                }
                case DIAG -> {
                    requireDiagonal(m, c);
                    yield diagonal(m);
                }
                case SPHERICAL -> {
                    requireDiagonal(m, c);
                    for (int i = 1; i < d; i++) {
                        if (m[i][i] != m[0][0]) {
                            throw new IllegalArgumentException("covariance " + c
                                    + " of a " + type.id() + " mixture has unequal variances " + m[0][0] + " and " + m[i][i]);
                        }
                    }
                    yield new double[] {d == 0 ? Double.NaN : m[0][0]};
                }
            };
        }
        return new Mixture(type, weights, means, packed);
    }

    private static void requireDiagonal(double[][] m, int c) {
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (i != j && m[i][j] != 0) {
                    throw new IllegalArgumentException("covariance " + c + " must be diagonal, but entry (" + i + ", "
                            + j + ") is " + m[i][j]);
                }
            }
        }
    }

    public CovarianceType covarianceType() {
        return type;
    }

    /** Number of components. */
    public int k() {
        return k;
    }

    /** Dimension of the rows. */
    public int d() {
        return d;
    }

    public double[] weights() {
        return weights.clone();
    }

    public double weight(int c) {
        return weights[c];
    }

    public double[] mean(int c) {
        return means[c].clone();
    }

    public double[][] means() {
        double[][] copy = new double[k][];
        for (int c = 0; c < k; c++) {
            copy[c] = means[c].clone();
        }
        return copy;
    }

    /** Component c's covariance in its stored shape (a copy). */
    public double[] covariance(int c) {
        return covariances[c].clone();
    }

    /** Component c's covariance as a full d x d matrix, whatever the type. */
    public double[][] covarianceMatrix(int c) {
        double[][] m = new double[d][d];
        double[] cov = covariances[c];
        for (int i = 0; i < d; i++) {
            switch (type.storage()) {
                case FULL, TIED -> System.arraycopy(cov, i * d, m[i], 0, d);
                case DIAG -> m[i][i] = cov[i];
                case SPHERICAL -> m[i][i] = cov[0];
            }
        }
        return m;
    }

    /** Number of free parameters: (k - 1) weights, k d means and the covariance parameters. */
    public long parameterCount() {
        return (k - 1) + (long) k * d + type.covarianceParameters(k, d);
    }

    // Read-only views for the likelihood kernels: never modify the returned arrays.

    /** Means as one row-major k x d array (read-only view). */
    public double[] meansView() {
        return meansFlat;
    }

    /** Component c's precision factor in its stored shape (read-only view). */
    public double[] precisionFactorView(int c) {
        return precisionFactors[c];
    }

    /** log det of component c's precision factor: sum log diag(P), or d log(1/sigma) (spherical). */
    public double logDetPrecisionFactor(int c) {
        return logDetPrecisionFactors[c];
    }

    public double logWeight(int c) {
        return logWeights[c];
    }

    /**
     * Draws n rows from the mixture.
     *
     * @param labels if not null, receives the component each row was drawn from
     * @return row-major n x d values
     */
    public double[] sample(int n, Random random, int[] labels) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        double[][] lowerFactors = new double[k][];
        for (int c = 0; c < k; c++) {
            lowerFactors[c] = Cholesky.lowerFactor(fullCovariance(c), d);
        }
        double[] out = new double[n * d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            int c = drawComponent(random.nextDouble());
            if (labels != null) {
                labels[i] = c;
            }
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            double[] l = lowerFactors[c];
            for (int row = 0; row < d; row++) {
                double v = means[c][row];
                for (int j = 0; j <= row; j++) {
                    v += l[row * d + j] * z[j];
                }
                out[i * d + row] = v;
            }
        }
        return out;
    }

    private int drawComponent(double u) {
        double cumulative = 0;
        for (int c = 0; c < k - 1; c++) {
            cumulative += weights[c];
            if (u < cumulative) {
                return c;
            }
        }
        return k - 1;
    }

    private double[] fullCovariance(int c) {
        return flatten(covarianceMatrix(c));
    }

    private static double[] normalisedWeights(double[] weights) {
        double sum = 0;
        for (int c = 0; c < weights.length; c++) {
            if (!(weights[c] > 0) || !Double.isFinite(weights[c])) {
                throw new IllegalArgumentException("weight " + c + " must be positive and finite, got " + weights[c]);
            }
            sum += weights[c];
        }
        if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
            throw new IllegalArgumentException("weights must sum to 1, got " + sum);
        }
        // Weights that already sum to 1 up to rounding are kept bit for bit, so that a mixture
        // read back from a file is identical to the one written.
        if (Math.abs(sum - 1) <= 1e-14) {
            return weights.clone();
        }
        double[] out = new double[weights.length];
        for (int c = 0; c < weights.length; c++) {
            out[c] = weights[c] / sum;
        }
        return out;
    }

    private double[] checkedCovariance(double[] cov, int c) {
        int expected = switch (type.storage()) {
            case FULL, TIED -> d * d;
            case DIAG -> d;
            case SPHERICAL -> 1;
        };
        if (cov == null || cov.length != expected) {
            throw new IllegalArgumentException("covariance " + c + " of a " + type.id() + " mixture needs "
                    + expected + " values, got " + (cov == null ? "none" : cov.length));
        }
        requireFinite(cov, "covariance " + c);
        if (type.needsFullScatter()) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    double a = cov[i * d + j];
                    double b = cov[j * d + i];
                    if (Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300) {
                        throw new IllegalArgumentException("covariance " + c + " is not symmetric at ("
                                + i + ", " + j + "): " + a + " vs " + b);
                    }
                }
            }
        }
        return cov.clone();
    }

    private double[] precisionFactorOf(double[] cov, int c) {
        if (type.needsFullScatter()) {
            double[] p = Cholesky.precisionFactor(cov, d);
            if (p == null) {
                throw new IllegalArgumentException("covariance " + c + " is not positive definite");
            }
            return p;
        }
        double[] p = new double[cov.length];
        for (int i = 0; i < cov.length; i++) {
            if (!(cov[i] > 0)) {
                throw new IllegalArgumentException("covariance " + c + " has a non-positive variance " + cov[i]);
            }
            p[i] = 1.0 / Math.sqrt(cov[i]);
        }
        return p;
    }

    private double logDetOf(double[] p) {
        return switch (type.storage()) {
            case FULL, TIED -> Cholesky.logDiagonalSum(p, d);
            case DIAG -> Arrays.stream(p).map(Math::log).sum();
            case SPHERICAL -> d * Math.log(p[0]);
        };
    }

    private static void requireFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value " + values[i] + " at index " + i);
            }
        }
    }

    static double[] flatten(double[][] m) {
        int d = m.length;
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (m[i].length != d) {
                throw new IllegalArgumentException("matrix row " + i + " has " + m[i].length + " values, expected " + d);
            }
            System.arraycopy(m[i], 0, out, i * d, d);
        }
        return out;
    }

    private static double[] diagonal(double[][] m) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Mixture other)) {
            return false;
        }
        return type == other.type && Arrays.equals(weights, other.weights)
                && Arrays.deepEquals(means, other.means) && Arrays.deepEquals(covariances, other.covariances);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Arrays.deepHashCode(means);
    }

    @Override
    public String toString() {
        return "Mixture(" + type.id() + ", k=" + k + ", d=" + d + ", weights=" + Arrays.toString(weights) + ")";
    }
}
