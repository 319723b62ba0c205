package io.mixspark.gmm;

import io.mixspark.linalg.SymmetricEigen;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The covariances of mclust's MAP M-steps (Fraley and Raftery 2007; the denominators are
 * mclust's): from each component's scatter, already holding the prior's between term, plus the
 * prior scale, over the posterior degrees of freedom. n_k is a component's weighted count, n
 * their total, G the number of components and nu the prior's degrees of freedom. For EEI, VEI, EVI,
 * EEV and VEV the denominators are those of mclust's {@code me()}, which differ from its
 * {@code mstep()}'s: EM with {@code mstep()} ends elsewhere, and users' fits run {@code me()}.
 */
final class PosteriorModes {

    private PosteriorModes() {
    }

    /** Inner iterations of VEI and VEV stop when no volume or shape moves by more than this, relative. */
    static final double INNER_TOLERANCE = 1e-13;

    /**
     * Whether the M-step moves the means to their posterior mean: mclust's EEI M-step adds the
     * prior's between term to the scatter but keeps the maximum-likelihood means.
     */
    static boolean shrinksMeans(CovarianceType type) {
        return type != CovarianceType.EEI;
    }

    static double[][] covariances(CovarianceType type, SufficientStatistics stats, List<Integer> kept,
                                  double[][] scatters, double regCovar, ConjugatePrior prior, Consumer<String> log) {
        int d = stats.d();
        int k = kept.size();
        double nu = prior.dof();
        double[][] out = new double[k][];
        switch (type) {
            case VVV -> {
                // VVV: (Lambda + W_k) / (nu + n_k + d + 2)
                for (int j = 0; j < k; j++) {
                    double nk = stats.count(kept.get(j));
                    out[j] = withScale(scatters[j], prior.scale(), nu + nk + d + 2, regCovar, d);
                }
            }
            case EEE -> {
                // EEE: (Lambda + sum_k W_k) / (nu + n + d + 1 + G)
                double[] pooled = new double[d * d];
                double n = 0;
                for (int j = 0; j < k; j++) {
                    n += stats.count(kept.get(j));
                    for (int i = 0; i < d * d; i++) {
                        pooled[i] += scatters[j][i];
                    }
                }
                double[] shared = withScale(pooled, prior.scale(), nu + n + d + 1 + k, regCovar, d);
                for (int j = 0; j < k; j++) {
                    out[j] = shared;
                }
            }
            case VVI -> {
                // VVI: each variance (s^2 + W_k,aa) / (nu + n_k + 3)
                for (int j = 0; j < k; j++) {
                    double nk = stats.count(kept.get(j));
                    out[j] = new double[d];
                    for (int a = 0; a < d; a++) {
                        out[j][a] = (prior.variance() + scatters[j][a]) / (nu + nk + 3) + regCovar;
                    }
                }
            }
            case VII -> {
                // VII: (s^2 + tr W_k) / (nu + (n_k + 1) d + 2)
                for (int j = 0; j < k; j++) {
                    double nk = stats.count(kept.get(j));
                    double trace = 0;
                    for (int a = 0; a < d; a++) {
                        trace += scatters[j][a];
                    }
                    out[j] = new double[] {(prior.variance() + trace) / (nu + (nk + 1) * d + 2) + regCovar};
                }
            }
            case EII, E -> {
                // EII: sum_k tr W_k / (nu + (n + G) d + 2), where mclust leaves the prior scale out;
                // E (d = 1): (s^2 + sum_k W_k) / (nu + n + G + 2)
                double n = 0;
                double trace = 0;
                for (int j = 0; j < k; j++) {
                    n += stats.count(kept.get(j));
                    for (int a = 0; a < d; a++) {
                        trace += scatters[j][a];
                    }
                }
                double variance = type == CovarianceType.E ? (prior.variance() + trace) / (nu + n + k + 2)
                        : trace / (nu + (n + k) * d + 2);
                for (int j = 0; j < k; j++) {
                    out[j] = new double[] {variance + regCovar};
                }
            }
            case V -> {
                // V (d = 1): (s^2 + W_k) / (nu + n_k + 3)
                for (int j = 0; j < k; j++) {
                    double nk = stats.count(kept.get(j));
                    out[j] = new double[] {(prior.variance() + scatters[j][0]) / (nu + nk + 3) + regCovar};
                }
            }
            case EEI -> {
                // EEI: each variance (s^2 + sum_k W_k,aa) / (nu + n + 2)
                double n = 0;
                double[] pooled = new double[d];
                for (int j = 0; j < k; j++) {
                    n += stats.count(kept.get(j));
                    for (int a = 0; a < d; a++) {
                        pooled[a] += scatters[j][a];
                    }
                }
                double[] shared = new double[d];
                for (int a = 0; a < d; a++) {
                    shared[a] = (prior.variance() + pooled[a]) / (nu + n + 2) + regCovar;
                }
                for (int j = 0; j < k; j++) {
                    out[j] = shared;
                }
            }
            case EVI -> {
                // EVI: with V_k = s^2 + diag W_k, shape V_k / |V_k|^(1/d), volume sum_k |V_k|^(1/d) / (nu + n + 2)
                double n = 0;
                double volume = 0;
                double[][] v = withVariance(scatters, prior.variance(), k, d);
                double[] g = new double[k];
                for (int j = 0; j < k; j++) {
                    n += stats.count(kept.get(j));
                    g[j] = ConstrainedCovariances.requirePositive(Dense.geometricMean(v[j]), type, j);
                    volume += g[j];
                }
                volume /= nu + n + 2;
                for (int j = 0; j < k; j++) {
                    out[j] = new double[d];
                    for (int a = 0; a < d; a++) {
                        out[j][a] = volume * v[j][a] / g[j] + regCovar;
                    }
                }
            }
            case VEI -> {
                // VEI: V_k = s^2 + diag W_k; lambda_k = sum_a V_k,a / A_a / (n_k d + nu + 3), A ~ sum_k V_k / lambda_k
                double[][] v = withVariance(scatters, prior.variance(), k, d);
                double[] denominators = new double[k];
                for (int j = 0; j < k; j++) {
                    denominators[j] = stats.count(kept.get(j)) * d + nu + 3;
                }
                double[] volumes = new double[k];
                double[] shape = volumesAndShape(type, v, denominators, volumes, log);
                for (int j = 0; j < k; j++) {
                    out[j] = new double[d];
                    for (int a = 0; a < d; a++) {
                        out[j][a] = volumes[j] * shape[a] + regCovar;
                    }
                }
            }
            case EEV, VEV -> {
                // With M_k = Lambda + W_k = D_k diag(e_k) D_k^T: EEV D_k diag(sum_k e_k) D_k^T / (nu + n + d + 2);
                // VEV the maximum-likelihood volumes and shape of the e_k (lambda_k = sum_a e_k,a / A_a / (n_k d))
                SymmetricEigen[] eigen = new SymmetricEigen[k];
                double[][] values = new double[k][];
                double[] denominators = new double[k];
                double n = 0;
                for (int j = 0; j < k; j++) {
                    double[] m = new double[d * d];
                    for (int i = 0; i < d * d; i++) {
                        m[i] = scatters[j][i] + prior.scale()[i];
                    }
                    eigen[j] = SymmetricEigen.of(m, d);
                    values[j] = eigen[j].values();
                    n += stats.count(kept.get(j));
                    denominators[j] = stats.count(kept.get(j)) * d;
                }
                double[] volumes = new double[k];
                double[] shape;
                if (type == CovarianceType.EEV) {
                    shape = new double[d];
                    for (int j = 0; j < k; j++) {
                        for (int a = 0; a < d; a++) {
                            shape[a] += values[j][a];
                        }
                    }
                    Arrays.fill(volumes, 1 / (nu + n + d + 2));
                } else {
                    shape = volumesAndShape(type, values, denominators, volumes, log);
                }
                for (int j = 0; j < k; j++) {
                    out[j] = Dense.compose(eigen[j].vectors(), Dense.scaled(shape, volumes[j]), d);
                    for (int a = 0; a < d; a++) {
                        out[j][a * d + a] += regCovar;
                    }
                }
            }
            default -> throw new IllegalArgumentException(Prior.refusal(type));
        }
        return out;
    }

    /** Each component's diagonal scatter plus the prior's variance. */
    private static double[][] withVariance(double[][] scatters, double variance, int k, int d) {
        double[][] out = new double[k][d];
        for (int j = 0; j < k; j++) {
            for (int a = 0; a < d; a++) {
                out[j][a] = variance + scatters[j][a];
            }
        }
        return out;
    }

    /**
     * The common shape A (det 1) and the volumes lambda_k, alternating lambda_k = sum_a v_k,a / A_a
     * / denominator_k and A proportional to sum_k v_k / lambda_k, from A = 1 as mclust starts, to
     * the fixed point (mclust's {@code me()} runs each inner loop to its tolerance).
     *
     * @param volumes receives lambda_k
     */
    private static double[] volumesAndShape(CovarianceType type, double[][] values, double[] denominators,
                                            double[] volumes, Consumer<String> log) {
        int k = values.length;
        int d = values[0].length;
        double[] shape = new double[d];
        Arrays.fill(shape, 1.0);
        for (int iteration = 1; ; iteration++) {
            double change = 0;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int a = 0; a < d; a++) {
                    s += values[j][a] / shape[a];
                }
                double volume = ConstrainedCovariances.requirePositive(s / denominators[j], type, j);
                change = Math.max(change, Math.abs(volume - volumes[j]) / (1 + volume));
                volumes[j] = volume;
            }
            double[] b = new double[d];
            for (int j = 0; j < k; j++) {
                for (int a = 0; a < d; a++) {
                    b[a] += values[j][a] / volumes[j];
                }
            }
            double norm = ConstrainedCovariances.requirePositive(Dense.geometricMean(b), type, -1);
            for (int a = 0; a < d; a++) {
                double next = b[a] / norm;
                change = Math.max(change, Math.abs(next - shape[a]) / (1 + next));
                shape[a] = next;
            }
            if (change <= INNER_TOLERANCE) {
                return shape;
            }
            if (iteration >= ConstrainedCovariances.INNER_MAX_ITERATIONS) {
                log.accept("the " + type.id() + " M-step stopped after " + iteration
                        + " inner iterations without settling");
                return shape;
            }
        }
    }

    private static double[] withScale(double[] scatter, double[] scale, double divisor, double ridge, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            out[i] = (scatter[i] + scale[i]) / divisor;
        }
        for (int a = 0; a < d; a++) {
            out[a * d + a] += ridge;
        }
        return out;
    }
}
