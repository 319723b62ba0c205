package io.mixspark.gmm;

import io.mixspark.linalg.Cholesky;
import io.mixspark.linalg.SymmetricEigen;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The maximum-likelihood covariances of each {@link CovarianceType} given every component's
 * weighted count n_k and scatter W_k about its new mean (Celeux and Govaert 1995, with the
 * inner iterations as R's mclust runs them). Sigma_k = lambda_k D_k A_k D_k^T with det A_k = 1.
 *
 * <p>Closed forms: EII, VII, EEI, EVI, VVI, EEE, EEV, EVV, VVV (and the univariate E, V).
 * Alternating updates of volume and shape: VEI, VEE, VEV, iterated until the profile
 * objective {@code d sum_k n_k log lambda_k} changes by less than {@link #INNER_TOLERANCE}
 * relative, from lambda_k = 1 as mclust starts them. EVE and VVE: {@link CommonOrientation}.
 *
 * <p>The covariances come back in the type's storage shape and without regularisation; the
 * M-step adds {@code regCovar} afterwards.
 */
final class ConstrainedCovariances {

    /** mclust's default inner tolerance, {@code sqrt(.Machine$double.eps)}. */
    static final double INNER_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    /**
     * A safeguard only: mclust sets no limit, and a lower one changes where EM ends (the fits of
     * EVE and VVE depend on each M-step settling).
     */
    static final int INNER_MAX_ITERATIONS = 100_000;

    private ConstrainedCovariances() {
    }

    /**
     * @param counts   weighted count of each kept component
     * @param scatters each component's scatter: d x d row-major for types that need full
     *                 scatter, else its d diagonal entries
     * @param previous the previous covariances of these components in the same storage (to
     *                 warm-start EVE and VVE as mclust does), or null
     * @param log      receives a warning when an inner iteration stops at its limit
     * @throws NumericalFailureException when a scatter is singular where the model divides by
     *                                   its determinant or volume
     */
    static double[][] estimate(CovarianceType type, double[] counts, double[][] scatters, int d,
                               double[][] previous, Consumer<String> log) {
        int k = counts.length;
        double total = 0;
        for (double n : counts) {
            total += n;
        }
        return switch (type) {
            case E, EII -> {
                double trace = 0;
                for (double[] w : scatters) {
                    trace += sum(w);
                }
                yield repeated(new double[] {trace / (total * d)}, k);
            }
            case V, VII -> {
                double[][] out = new double[k][];
                for (int c = 0; c < k; c++) {
                    out[c] = new double[] {sum(scatters[c]) / (counts[c] * d)};
                }
                yield out;
            }
            case EEI -> {
                double[] pooled = new double[d];
                for (double[] w : scatters) {
                    for (int a = 0; a < d; a++) {
                        pooled[a] += w[a];
                    }
                }
                yield repeated(Dense.scaled(pooled, 1.0 / total), k);
            }
            case VEI -> variableVolumeEqualShapeDiagonal(type, counts, scatters, d, log);
            case EVI -> equalVolumeVariableShape(type, scatters, total, Dense::geometricMean);
            case VVI -> eachOwn(counts, scatters);
            case EEE -> {
                double[] pooled = new double[d * d];
                for (double[] w : scatters) {
                    for (int i = 0; i < d * d; i++) {
                        pooled[i] += w[i];
                    }
                }
                yield repeated(Dense.scaled(pooled, 1.0 / total), k);
            }
            case VEE -> variableVolumeEqualShapeAndOrientation(type, counts, scatters, d, log);
            case EVE, VVE -> CommonOrientation.estimate(type, counts, scatters, d, previous, log);
            case EEV, VEV -> equalShapeVariableOrientation(type, counts, scatters, d, log);
            case EVV -> equalVolumeVariableShape(type, scatters, total,
                    w -> Dense.geometricMean(SymmetricEigen.of(w, d).values()));
            case VVV -> eachOwn(counts, scatters);
        };
    }

    /** VVI and VVV: each component's scatter over its own count. */
    private static double[][] eachOwn(double[] counts, double[][] scatters) {
        double[][] out = new double[scatters.length][];
        for (int c = 0; c < scatters.length; c++) {
            out[c] = Dense.scaled(scatters[c], 1.0 / counts[c]);
        }
        return out;
    }

    /**
     * EVI and EVV: each scatter scaled to one shared volume, the sum of the scatters' volumes
     * (det^(1/d), from the diagonal or the eigenvalues) over the total count.
     */
    private static double[][] equalVolumeVariableShape(CovarianceType type, double[][] scatters, double total,
                                                       ToDoubleFunction<double[]> volumeOf) {
        int k = scatters.length;
        double[] volumes = new double[k];
        double sumVolumes = 0;
        for (int c = 0; c < k; c++) {
            volumes[c] = requirePositive(volumeOf.applyAsDouble(scatters[c]), type, c);
            sumVolumes += volumes[c];
        }
        double lambda = sumVolumes / total;
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = Dense.scaled(scatters[c], lambda / volumes[c]);
        }
        return out;
    }

    /** VEI: Sigma_k = lambda_k B, B diagonal with det 1. */
    private static double[][] variableVolumeEqualShapeDiagonal(CovarianceType type, double[] counts,
                                                               double[][] scatters, int d, Consumer<String> log) {
        int k = counts.length;
        double[] scale = ones(k);
        double[] shape = new double[d];
        InnerLoop loop = new InnerLoop(type, log);
        do {
            double[] b = new double[d];
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < d; a++) {
                    b[a] += scatters[c][a] / scale[c];
                }
            }
            shape = Dense.scaled(b, 1.0 / requirePositive(Dense.geometricMean(b), type, -1));
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int a = 0; a < d; a++) {
                    s += scatters[c][a] / shape[a];
                }
                scale[c] = requirePositive(s / (d * counts[c]), type, c);
            }
        } while (!loop.settled(profileTarget(counts, scale, d)));
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = Dense.scaled(shape, scale[c]);
        }
        return out;
    }

    /** VEE: Sigma_k = lambda_k C, C with det 1. */
    private static double[][] variableVolumeEqualShapeAndOrientation(CovarianceType type, double[] counts,
                                                                     double[][] scatters, int d,
                                                                     Consumer<String> log) {
        int k = counts.length;
        double[] scale = ones(k);
        double[] shared;
        InnerLoop loop = new InnerLoop(type, log);
        do {
            double[] c0 = new double[d * d];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < d * d; i++) {
                    c0[i] += scatters[c][i] / scale[c];
                }
            }
            double[] lower = Cholesky.lowerFactor(c0, d);
            if (lower == null) {
                throw singular(type, -1);
            }
            double volume = Math.exp(2 * Cholesky.logDiagonalSum(lower, d) / d);
            shared = Dense.scaled(c0, 1.0 / volume);
            double[] p = Cholesky.precisionFactor(shared, d);
            if (p == null) {
                throw singular(type, -1);
            }
            for (int c = 0; c < k; c++) {
                // tr(W C^-1) with C^-1 = P P^T is the sum of the diagonal of P^T W P.
                scale[c] = requirePositive(sum(Dense.rotatedDiagonal(scatters[c], p, d)) / (d * counts[c]), type, c);
            }
        } while (!loop.settled(profileTarget(counts, scale, d)));
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = Dense.scaled(shared, scale[c]);
        }
        return out;
    }

    /**
     * EEV and VEV: Sigma_k = lambda_k D_k A D_k^T, D_k the eigenvectors of W_k, paired with the
     * shared shape in decreasing order. EEV is closed-form; VEV alternates A and lambda_k.
     */
    private static double[][] equalShapeVariableOrientation(CovarianceType type, double[] counts, double[][] scatters,
                                                            int d, Consumer<String> log) {
        int k = counts.length;
        SymmetricEigen[] eigen = new SymmetricEigen[k];
        for (int c = 0; c < k; c++) {
            eigen[c] = SymmetricEigen.of(scatters[c], d);
        }
        double[] scale = ones(k);
        double[] shape;
        if (type == CovarianceType.EEV) {
            double[] pooled = new double[d];
            double total = 0;
            for (int c = 0; c < k; c++) {
                total += counts[c];
                for (int a = 0; a < d; a++) {
                    pooled[a] += eigen[c].values()[a];
                }
            }
            double volume = requirePositive(Dense.geometricMean(pooled), type, -1);
            shape = Dense.scaled(pooled, 1.0 / volume);
            java.util.Arrays.fill(scale, volume / total);
        } else {
            InnerLoop loop = new InnerLoop(type, log);
            do {
                double[] pooled = new double[d];
                for (int c = 0; c < k; c++) {
                    for (int a = 0; a < d; a++) {
                        pooled[a] += eigen[c].values()[a] / scale[c];
                    }
                }
                shape = Dense.scaled(pooled, 1.0 / requirePositive(Dense.geometricMean(pooled), type, -1));
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int a = 0; a < d; a++) {
                        s += eigen[c].values()[a] / shape[a];
                    }
                    scale[c] = requirePositive(s / (d * counts[c]), type, c);
                }
            } while (!loop.settled(profileTarget(counts, scale, d)));
        }
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = Dense.compose(eigen[c].vectors(), Dense.scaled(shape, scale[c]), d);
        }
        return out;
    }

    /** d sum_k n_k (1 + log lambda_k): minus twice the profile log-likelihood, up to constants. */
    private static double profileTarget(double[] counts, double[] scale, int d) {
        double t = 0;
        for (int c = 0; c < counts.length; c++) {
            t += counts[c] * d * (1 + Math.log(scale[c]));
        }
        return t;
    }

    /** Counts the iterations of one inner loop and applies mclust's stopping rule to its target. */
    static final class InnerLoop {
        private final CovarianceType type;
        private final Consumer<String> log;
        private double previous = Double.NaN;
        private int iterations;

        InnerLoop(CovarianceType type, Consumer<String> log) {
            this.type = type;
            this.log = log;
        }

        /** Whether the loop is done after an iteration that reached {@code target}. */
        boolean settled(double target) {
            iterations++;
            if (!Double.isFinite(target)) {
                throw new NumericalFailureException("the " + type.id() + " M-step's objective became " + target
                        + "; try fewer components or a simpler covariance model");
            }
            boolean done = !Double.isNaN(previous)
                    && Math.abs(target - previous) / (1 + Math.abs(target)) <= INNER_TOLERANCE;
            previous = target;
            if (!done && iterations >= INNER_MAX_ITERATIONS) {
                log.accept("the " + type.id() + " M-step stopped after " + iterations
                        + " inner iterations without settling");
                return true;
            }
            return done;
        }
    }

    static double requirePositive(double value, CovarianceType type, int component) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw singular(type, component);
        }
        return value;
    }

    static NumericalFailureException singular(CovarianceType type, int component) {
        return new NumericalFailureException("the " + type.id() + " M-step met a singular scatter"
                + (component >= 0 ? " in component " + component : "")
                + " (too few or collinear rows); regularisation cannot help a model that divides by the scatter's"
                + " volume: try fewer components or another covariance model");
    }

    private static double[] ones(int k) {
        double[] out = new double[k];
        java.util.Arrays.fill(out, 1.0);
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double[][] repeated(double[] value, int k) {
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = value.clone();
        }
        return out;
    }
}
