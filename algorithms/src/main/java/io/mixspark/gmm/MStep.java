package io.mixspark.gmm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The M-step: turns sufficient statistics into the next mixture, adding {@code regCovar} to
 * every variance (scikit-learn's convention) and dropping components that lost their mass.
 */
public final class MStep {

    /** A component whose weighted count falls below this share of the total is dropped. */
    static final double EMPTY_COMPONENT_SHARE = 1e-12;

    private MStep() {
    }

    /**
     * The mixture that maximises the expected complete-data log-likelihood given {@code stats}.
     *
     * @param log receives one message per dropped component
     * @throws NumericalFailureException if a covariance is not positive definite even after
     *                                   regularisation, or every component is empty
     */
    public static Mixture update(SufficientStatistics stats, CovarianceType type, double regCovar,
                                 Consumer<String> log) {
        return update(stats, type, regCovar, null, log);
    }

    /**
     * The mixture that maximises the expected complete-data log-posterior under a conjugate
     * prior (the maximum likelihood update when the prior is null), as mclust's MAP M-steps
     * (Fraley and Raftery 2007): each mean shrinks towards the prior mean, and each covariance
     * adds the prior scale and the shrinkage's between term to its scatter before dividing by
     * the posterior degrees of freedom.
     */
    public static Mixture update(SufficientStatistics stats, CovarianceType type, double regCovar,
                                 ConjugatePrior prior, Consumer<String> log) {
        if (stats.isEmpty() || !(stats.totalWeight() > 0)) {
            throw new NumericalFailureException("no rows with positive weight to estimate a mixture from");
        }
        if (type.needsFullScatter() != stats.fullScatter()) {
            throw new IllegalArgumentException("statistics with " + (stats.fullScatter() ? "full" : "diagonal")
                    + " scatter cannot estimate a " + type.id() + " covariance");
        }
        int d = stats.d();
        double total = 0;
        for (int c = 0; c < stats.k(); c++) {
            total += stats.count(c);
        }
        List<Integer> kept = new ArrayList<>();
        for (int c = 0; c < stats.k(); c++) {
            if (stats.count(c) > EMPTY_COMPONENT_SHARE * total) {
                kept.add(c);
            } else {
                log.accept("component " + c + " lost its mass (weighted count " + stats.count(c) + ") and was dropped");
            }
        }
        if (kept.isEmpty()) {
            throw new NumericalFailureException("every component lost its mass");
        }
        int k = kept.size();
        double[] weights = new double[k];
        double[][] means = new double[k][];
        double[][] scatters = new double[k][];
        double keptTotal = 0;
        for (int j = 0; j < k; j++) {
            keptTotal += stats.count(kept.get(j));
        }
        for (int j = 0; j < k; j++) {
            int c = kept.get(j);
            double n = stats.count(c);
            weights[j] = n / keptTotal;
            means[j] = meanOf(stats, c);
            scatters[j] = centredScatter(stats, c);
            if (prior != null) {
                shrink(means[j], scatters[j], n, prior, stats.fullScatter());
            }
        }
        double[][] covariances = prior == null ? covariances(type, stats, kept, scatters, regCovar, d)
                : PosteriorModes.covariances(type, stats, kept, scatters, regCovar, prior);
        try {
            return new Mixture(type, weights, means, covariances);
        } catch (IllegalArgumentException e) {
            throw new NumericalFailureException("the M-step produced an invalid " + type.id() + " covariance ("
                    + e.getMessage() + "); try fewer components, a larger reg-covar, or rescaling the features", e);
        }
    }

    /**
     * Moves the mean to the posterior mean (n xbar + kappa mu) / (n + kappa) and adds the
     * between term kappa n / (n + kappa) (xbar - mu)(xbar - mu)^T to the scatter.
     */
    private static void shrink(double[] mean, double[] scatter, double n, ConjugatePrior prior, boolean full) {
        int d = mean.length;
        double kappa = prior.shrinkage();
        double c = kappa * n / (n + kappa);
        double[] diff = new double[d];
        for (int a = 0; a < d; a++) {
            diff[a] = mean[a] - prior.mean()[a];
            mean[a] = (n * mean[a] + kappa * prior.mean()[a]) / (n + kappa);
        }
        for (int a = 0; a < d; a++) {
            if (full) {
                for (int b = 0; b < d; b++) {
                    scatter[a * d + b] += c * diff[a] * diff[b];
                }
            } else {
                scatter[a] += c * diff[a] * diff[a];
            }
        }
    }

    private static double[] meanOf(SufficientStatistics stats, int c) {
        int d = stats.d();
        double n = stats.count(c);
        double[] centres = stats.centresView();
        double[] sums = stats.sumsView();
        double[] mean = new double[d];
        for (int a = 0; a < d; a++) {
            mean[a] = centres[c * d + a] + sums[c * d + a] / n;
        }
        return mean;
    }

    /**
     * Weighted scatter about the new mean: S - s s^T / n, with s the sum about the centre.
     * Full scatter comes back as a symmetric d x d matrix, diagonal scatter as d values.
     */
    private static double[] centredScatter(SufficientStatistics stats, int c) {
        int d = stats.d();
        double n = stats.count(c);
        double[] sums = stats.sumsView();
        double[] raw = stats.scattersView();
        int base = c * stats.scatterSize();
        if (!stats.fullScatter()) {
            double[] out = new double[d];
            for (int a = 0; a < d; a++) {
                double s = sums[c * d + a];
                out[a] = raw[base + a] - s * s / n;
            }
            return out;
        }
        double[] out = new double[d * d];
        for (int a = 0; a < d; a++) {
            double sa = sums[c * d + a];
            for (int b = 0; b <= a; b++) {
                double v = raw[base + a * d + b] - sa * sums[c * d + b] / n;
                out[a * d + b] = v;
                out[b * d + a] = v;
            }
        }
        return out;
    }

    private static double[][] covariances(CovarianceType type, SufficientStatistics stats, List<Integer> kept,
                                          double[][] scatters, double regCovar, int d) {
        int k = kept.size();
        double[][] out = new double[k][];
        switch (type) {
            case FULL -> {
                for (int j = 0; j < k; j++) {
                    out[j] = scaledWithRidge(scatters[j], 1.0 / stats.count(kept.get(j)), regCovar, d);
                }
            }
            case TIED -> {
                double[] pooled = new double[d * d];
                double n = 0;
                for (int j = 0; j < k; j++) {
                    n += stats.count(kept.get(j));
                    for (int i = 0; i < d * d; i++) {
                        pooled[i] += scatters[j][i];
                    }
                }
                double[] shared = scaledWithRidge(pooled, 1.0 / n, regCovar, d);
                for (int j = 0; j < k; j++) {
                    out[j] = shared;
                }
            }
            case DIAG -> {
                for (int j = 0; j < k; j++) {
                    double n = stats.count(kept.get(j));
                    out[j] = new double[d];
                    for (int a = 0; a < d; a++) {
                        out[j][a] = scatters[j][a] / n + regCovar;
                    }
                }
            }
            case SPHERICAL -> {
                for (int j = 0; j < k; j++) {
                    double n = stats.count(kept.get(j));
                    double sum = 0;
                    for (int a = 0; a < d; a++) {
                        sum += scatters[j][a] / n + regCovar;
                    }
                    out[j] = new double[] {sum / d};
                }
            }
        }
        return out;
    }

    private static double[] scaledWithRidge(double[] scatter, double scale, double ridge, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            out[i] = scatter[i] * scale;
        }
        for (int a = 0; a < d; a++) {
            out[a * d + a] += ridge;
        }
        return out;
    }
}
