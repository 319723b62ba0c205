package io.mixspark.gmm;

import java.util.List;

/**
 * The covariances of mclust's MAP M-steps (Fraley and Raftery 2007; the denominators are
 * mclust's): from each component's scatter, already holding the prior's between term, plus the
 * prior scale, over the posterior degrees of freedom. n_k is a component's weighted count, n
 * their total, G the number of components and nu the prior's degrees of freedom. mclust also has
 * MAP fits for EEI, VEI, EVI, EEV and VEV, not reproduced here yet (see {@link Prior#unsupported}).
 */
final class PosteriorModes {

    private PosteriorModes() {
    }

    static double[][] covariances(CovarianceType type, SufficientStatistics stats, List<Integer> kept,
                                  double[][] scatters, double regCovar, ConjugatePrior prior) {
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
            default -> throw new IllegalArgumentException(Prior.unsupported(type));
        }
        return out;
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
