package io.mixspark.federated;

import io.mixspark.em.EmOptions;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import java.io.Serializable;

/**
 * How each site fits its local mixture: a fixed number of components ({@code kMin == kMax}) or
 * the number in [kMin, kMax] with the smallest BIC at that site. Plain values only, so the
 * options can be shipped to wherever a site fits.
 *
 * <p>The recommended setting for a one-shot reduction to k components is {@link #overfit}: a
 * fixed {@value #DEFAULT_OVERFIT_FACTOR} k components at every site. Fine-grained local
 * components are what the reduction needs: it moves each local component as a whole, so a broad
 * local component that spans several true components (what BIC picks at a site with only a few
 * dozen rows of some components) cannot be split again, while pieces of one true component are
 * merged back by moment matching. docs/FEDERATED.md, "Why overfit locally", compares the two
 * settings.
 *
 * @param kMin           smallest number of components, >= 1
 * @param kMax           largest number of components, >= kMin
 * @param covarianceType covariance parameterisation of the local fits
 * @param maxIter        EM iterations at most, >= 1
 * @param tol            EM tolerance on the mean log-likelihood, >= 0
 * @param regCovar       ridge added to every variance, >= 0
 * @param nInit          k-means++ restarts per candidate, >= 1
 * @param seed           seed of the local fits (the same at every site)
 * @param kernel         likelihood kernel name
 */
public record LocalFitOptions(int kMin, int kMax, CovarianceType covarianceType, int maxIter, double tol,
                              double regCovar, int nInit, long seed, String kernel) implements Serializable {

    /** Local components per global component in {@link #overfit}. */
    public static final int DEFAULT_OVERFIT_FACTOR = 4;

    public LocalFitOptions {
        if (kMin < 1) {
            throw new IllegalArgumentException("kMin must be >= 1, got " + kMin);
        }
        if (kMax < kMin) {
            throw new IllegalArgumentException("kMax must be >= kMin (" + kMin + "), got " + kMax);
        }
        if (covarianceType == null) {
            throw new IllegalArgumentException("covarianceType is required");
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new IllegalArgumentException("tol must be a finite number >= 0, got " + tol);
        }
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if (nInit < 1) {
            throw new IllegalArgumentException("nInit must be >= 1, got " + nInit);
        }
        if (kernel == null || kernel.isBlank()) {
            throw new IllegalArgumentException("kernel name is required");
        }
    }

    /** k components at every site, EM defaults otherwise. */
    public static LocalFitOptions fixed(int k, CovarianceType type) {
        return new LocalFitOptions(k, k, type, EmOptions.DEFAULT_MAX_ITER, EmOptions.DEFAULT_TOL,
                EmOptions.DEFAULT_REG_COVAR, 1, 0, Kernels.AUTO);
    }

    /**
     * The default local fits of a one-shot reduction to k components: a fixed
     * {@link #overfitK(int) overfitK(k)} = {@value #DEFAULT_OVERFIT_FACTOR} k components at every
     * site (fewer at a site with too few rows, see {@link LocalFits#fitSite}), EM defaults otherwise.
     */
    public static LocalFitOptions overfit(int k, CovarianceType type) {
        return fixed(overfitK(k), type);
    }

    /** The local number of components that {@link #overfit} uses for a global k: {@value #DEFAULT_OVERFIT_FACTOR} k. */
    public static int overfitK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return Math.multiplyExact(DEFAULT_OVERFIT_FACTOR, k);
    }

    /** k chosen per site by BIC in [kMin, kMax], EM defaults otherwise. */
    public static LocalFitOptions byBic(int kMin, int kMax, CovarianceType type) {
        return new LocalFitOptions(kMin, kMax, type, EmOptions.DEFAULT_MAX_ITER, EmOptions.DEFAULT_TOL,
                EmOptions.DEFAULT_REG_COVAR, 1, 0, Kernels.AUTO);
    }

    public LocalFitOptions withSeed(long value) {
        return new LocalFitOptions(kMin, kMax, covarianceType, maxIter, tol, regCovar, nInit, value, kernel);
    }

    public LocalFitOptions withNInit(int value) {
        return new LocalFitOptions(kMin, kMax, covarianceType, maxIter, tol, regCovar, value, seed, kernel);
    }

    public LocalFitOptions withKernel(String value) {
        return new LocalFitOptions(kMin, kMax, covarianceType, maxIter, tol, regCovar, nInit, seed, value);
    }

    /** Whether k is fixed rather than selected. */
    public boolean fixedK() {
        return kMin == kMax;
    }

    /** The EM options of one candidate with k components. */
    public EmOptions emOptions(int k) {
        return EmOptions.builder(k, covarianceType).maxIter(maxIter).tol(tol).regCovar(regCovar).nInit(nInit)
                .seed(seed).kernel(kernel).build();
    }
}
