package io.mixspark.gmm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The M-step: turns sufficient statistics into the next mixture under the constraint of its
 * {@link CovarianceType} ({@link ConstrainedCovariances}), then adds {@code regCovar} to every
 * variance (scikit-learn's convention), and drops components that lost their mass. The ridge
 * comes after the constrained update, so with {@code regCovar > 0} volumes and shapes meant to
 * be equal differ by it slightly; with 0 the estimates are mclust's. With
 * {@link CovarianceShrinkage#OAS} the VVV and EEE covariances are shrunk by
 * {@link OracleApproximatingShrinkage} before the ridge is added.
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
        return update(stats, type, regCovar, null, log, null);
    }

    /**
     * As {@link #update(SufficientStatistics, CovarianceType, double, Consumer)}, continuing from
     * the mixture whose E-step gave {@code stats}: the models whose M-step iterates from a start
     * (EVE, VVE) start from its orientation and shapes, as mclust does across EM iterations.
     *
     * @param previous the mixture of the E-step, or null for a cold start
     */
    public static Mixture update(SufficientStatistics stats, CovarianceType type, double regCovar,
                                 Consumer<String> log, Mixture previous) {
        return update(stats, type, regCovar, null, log, previous);
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
        return update(stats, type, regCovar, prior, log, null);
    }

    /** The update with an optional prior and an optional previous mixture (see the overloads). */
    public static Mixture update(SufficientStatistics stats, CovarianceType type, double regCovar,
                                 ConjugatePrior prior, Consumer<String> log, Mixture previous) {
        return update(stats, type, regCovar, CovarianceShrinkage.NONE, prior, log, previous);
    }

    /**
     * The update with a covariance shrinkage: with {@link CovarianceShrinkage#OAS} each VVV
     * covariance (or the one EEE covariance) is shrunk by {@link OracleApproximatingShrinkage}
     * from its effective count before {@code regCovar} is added. That is not the maximum
     * likelihood update, and EM with it need not increase the log-likelihood at every step.
     *
     * @throws IllegalArgumentException if the shrinkage does not apply to the type, or is combined with a prior
     */
    public static Mixture update(SufficientStatistics stats, CovarianceType type, double regCovar,
                                 CovarianceShrinkage shrinkage, ConjugatePrior prior, Consumer<String> log,
                                 Mixture previous) {
        requireShrinkable(type, shrinkage, prior != null);
        if (stats.isEmpty() || !(stats.totalWeight() > 0)) {
            throw new NumericalFailureException("no rows with positive weight to estimate a mixture from");
        }
        if (type.needsFullScatter() != stats.fullScatter()) {
            throw new IllegalArgumentException("statistics with " + (stats.fullScatter() ? "full" : "diagonal")
                    + " scatter cannot estimate a " + type.id() + " covariance");
        }
        int d = stats.d();
        if (type.univariate() && d != 1) {
            throw new IllegalArgumentException("the covariance model " + type.id() + " is for one feature, the data has "
                    + d + "; use " + (type == CovarianceType.E ? "EII" : "VII") + " or another multivariate model");
        }
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
                shrink(means[j], scatters[j], n, prior, stats.fullScatter(), PosteriorModes.shrinksMeans(type));
            }
        }
        double[][] covariances = prior == null
                ? covariances(type, stats, kept, scatters, regCovar, shrinkage, d, previous, log)
                : PosteriorModes.covariances(type, stats, kept, scatters, regCovar, prior, log);
        try {
            return new Mixture(type, weights, means, covariances);
        } catch (IllegalArgumentException e) {
            throw new NumericalFailureException("the M-step produced an invalid " + type.id() + " covariance ("
                    + e.getMessage() + "); try fewer components, a larger reg-covar, or rescaling the features", e);
        }
    }

    /**
     * Moves the mean to the posterior mean (n xbar + kappa mu) / (n + kappa) and adds the
     * between term kappa n / (n + kappa) (xbar - mu)(xbar - mu)^T to the scatter; with
     * {@code moveMean} false only the latter (see {@link PosteriorModes#shrinksMeans}).
     */
    private static void shrink(double[] mean, double[] scatter, double n, ConjugatePrior prior, boolean full,
                               boolean moveMean) {
        int d = mean.length;
        double kappa = prior.shrinkage();
        double c = kappa * n / (n + kappa);
        double[] diff = new double[d];
        for (int a = 0; a < d; a++) {
            diff[a] = mean[a] - prior.mean()[a];
            if (moveMean) {
                mean[a] = (n * mean[a] + kappa * prior.mean()[a]) / (n + kappa);
            }
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

    /**
     * The constrained maximum-likelihood covariances, then {@code regCovar} on every variance:
     * on the diagonal of full and tied matrices, on each diagonal and spherical variance.
     */
    private static double[][] covariances(CovarianceType type, SufficientStatistics stats, List<Integer> kept,
                                          double[][] scatters, double regCovar, CovarianceShrinkage shrinkage, int d,
                                          Mixture previous, Consumer<String> log) {
        int k = kept.size();
        double[] counts = new double[k];
        double total = 0;
        for (int j = 0; j < k; j++) {
            counts[j] = stats.count(kept.get(j));
            total += counts[j];
        }
        double[][] before = previousCovariances(previous, type, stats.k(), kept);
        double[][] out = ConstrainedCovariances.estimate(type, counts, scatters, d, before, log);
        if (shrinkage == CovarianceShrinkage.OAS) {
            for (int j = 0; j < k; j++) {
                // EEE's covariances are all the pooled one, from the total count.
                double n = type == CovarianceType.EEE ? total : counts[j];
                out[j] = OracleApproximatingShrinkage.estimate(out[j], d, n).covariance();
            }
        }
        for (double[] cov : out) {
            if (type.storage() == CovarianceStorage.FULL || type.storage() == CovarianceStorage.TIED) {
                for (int a = 0; a < d; a++) {
                    cov[a * d + a] += regCovar;
                }
            } else {
                for (int a = 0; a < cov.length; a++) {
                    cov[a] += regCovar;
                }
            }
        }
        return out;
    }

    /**
     * The OAS intensity rho_k the M-step would apply to each component of {@code stats} (the
     * same value for every component of EEE, from the pooled scatter): for a mixture that EM with
     * {@link CovarianceShrinkage#OAS} has converged to, the intensities it was built with. A
     * component without mass gets 1.
     *
     * @throws IllegalArgumentException if OAS does not apply to the type
     */
    public static double[] intensities(SufficientStatistics stats, CovarianceType type) {
        requireShrinkable(type, CovarianceShrinkage.OAS, false);
        int k = stats.k();
        int d = stats.d();
        double[] rho = new double[k];
        double total = 0;
        double[] pooled = new double[d * d];
        for (int c = 0; c < k; c++) {
            double n = stats.count(c);
            if (!(n > 0)) {
                rho[c] = 1.0;
                continue;
            }
            double[] scatter = centredScatter(stats, c);
            total += n;
            for (int i = 0; i < d * d; i++) {
                pooled[i] += scatter[i];
            }
            rho[c] = OracleApproximatingShrinkage.intensity(Dense.scaled(scatter, 1.0 / n), d, n);
        }
        if (type == CovarianceType.EEE && total > 0) {
            java.util.Arrays.fill(rho, OracleApproximatingShrinkage.intensity(Dense.scaled(pooled, 1.0 / total), d,
                    total));
        }
        return rho;
    }

    private static void requireShrinkable(CovarianceType type, CovarianceShrinkage shrinkage, boolean withPrior) {
        String refusal = shrinkage.refusal(type);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        if (withPrior && shrinkage != CovarianceShrinkage.NONE) {
            throw new IllegalArgumentException("covariance shrinkage " + shrinkage.id()
                    + " and a prior both regularise the covariances; choose one");
        }
    }

    /** The previous mixture's covariances of the kept components, when it is of the same shape. */
    private static double[][] previousCovariances(Mixture previous, CovarianceType type, int k, List<Integer> kept) {
        if (previous == null || previous.k() != k || previous.covarianceType().storage() != type.storage()) {
            return null;
        }
        double[][] out = new double[kept.size()][];
        for (int j = 0; j < kept.size(); j++) {
            out[j] = previous.covariance(kept.get(j));
        }
        return out;
    }
}
