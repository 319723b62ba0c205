package io.mixspark.em;

import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Prior;

/**
 * Settings of one EM fit. Defaults follow scikit-learn where it has the same setting.
 *
 * @param k              number of components, >= 1
 * @param covarianceType covariance parameterisation
 * @param maxIter        EM iterations at most, >= 1 (default 100)
 * @param tol            stop when the mean log-likelihood per row changes by less, >= 0 (1e-3)
 * @param seed           seed of every random choice
 * @param initMode       how to start (default {@link InitMode#AUTO})
 * @param nInit          restarts; the best final log-likelihood wins, >= 1 (default 1)
 * @param regCovar       added to every variance in the M-step, >= 0 (default 1e-6)
 * @param initialModel   the start when initMode is {@link InitMode#MODEL}, else null
 * @param sampleSize     rows sampled for k-means++ and the auto threshold, >= k (100,000)
 * @param initIterations Lloyd passes over all rows after seeding, >= 0 (default 10)
 * @param kernel         likelihood kernel name (default {@code auto})
 * @param hcSample       rows sampled for the hierarchical start, >= k (default 2000, as mclust's subset)
 * @param prior          the M-step's prior (default none: maximum likelihood)
 * @param shrinkage      the M-step's covariance shrinkage (default none), for VVV and EEE and without a prior
 */
public record EmOptions(int k, CovarianceType covarianceType, int maxIter, double tol, long seed,
                        InitMode initMode, int nInit, double regCovar, Mixture initialModel,
                        int sampleSize, int initIterations, String kernel, int hcSample, Prior prior,
                        CovarianceShrinkage shrinkage) {

    public static final int DEFAULT_MAX_ITER = 100;
    public static final double DEFAULT_TOL = 1e-3;
    public static final double DEFAULT_REG_COVAR = 1e-6;
    public static final int DEFAULT_SAMPLE_SIZE = 100_000;
    public static final int DEFAULT_INIT_ITERATIONS = 10;
    public static final int DEFAULT_HC_SAMPLE = 2000;

    public EmOptions {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
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
        if (initMode == null) {
            throw new IllegalArgumentException("initMode is required");
        }
        if (nInit < 1) {
            throw new IllegalArgumentException("nInit must be >= 1, got " + nInit);
        }
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if ((initMode == InitMode.MODEL) != (initialModel != null)) {
            throw new IllegalArgumentException("an initial model is given exactly when initMode is 'model'");
        }
        if (initialModel != null && (initialModel.k() != k || initialModel.covarianceType() != covarianceType)) {
            throw new IllegalArgumentException("the initial model has k=" + initialModel.k() + " and covariance "
                    + initialModel.covarianceType().id() + ", the fit asks for k=" + k + " and " + covarianceType.id());
        }
        if (sampleSize < k) {
            throw new IllegalArgumentException("sampleSize must be >= k (" + k + "), got " + sampleSize);
        }
        if (initIterations < 0) {
            throw new IllegalArgumentException("initIterations must be >= 0, got " + initIterations);
        }
        if (kernel == null || kernel.isBlank()) {
            throw new IllegalArgumentException("kernel name is required");
        }
        if (hcSample < 2 || initMode == InitMode.HC && hcSample < k) {
            throw new IllegalArgumentException("hcSample must be >= 2 and, for the hierarchical start, >= k (" + k
                    + "), got " + hcSample);
        }
        if (prior == null) {
            throw new IllegalArgumentException("prior is required (none for maximum likelihood)");
        }
        if (shrinkage == null) {
            throw new IllegalArgumentException("shrinkage is required (none for the maximum-likelihood covariances)");
        }
        if (shrinkage.refusal(covarianceType) != null) {
            throw new IllegalArgumentException(shrinkage.refusal(covarianceType));
        }
        if (shrinkage != CovarianceShrinkage.NONE && prior != Prior.NONE) {
            throw new IllegalArgumentException("covariance shrinkage " + shrinkage.id() + " and the prior "
                    + prior.id() + " both regularise the covariances; choose one");
        }
    }

    /** A builder starting from the defaults for k components of the given type. */
    public static Builder builder(int k, CovarianceType type) {
        return new Builder(k, type);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder(k, covarianceType);
        b.maxIter = maxIter;
        b.tol = tol;
        b.seed = seed;
        b.initMode = initMode;
        b.nInit = nInit;
        b.regCovar = regCovar;
        b.initialModel = initialModel;
        b.sampleSize = sampleSize;
        b.initIterations = initIterations;
        b.kernel = kernel;
        b.hcSample = hcSample;
        b.prior = prior;
        b.shrinkage = shrinkage;
        return b;
    }

    /** Mutable staging for {@link EmOptions}; {@link #build()} validates. */
    public static final class Builder {
        private int k;
        private CovarianceType covarianceType;
        private int maxIter = DEFAULT_MAX_ITER;
        private double tol = DEFAULT_TOL;
        private long seed;
        private InitMode initMode = InitMode.AUTO;
        private int nInit = 1;
        private double regCovar = DEFAULT_REG_COVAR;
        private Mixture initialModel;
        private int sampleSize = DEFAULT_SAMPLE_SIZE;
        private int initIterations = DEFAULT_INIT_ITERATIONS;
        private String kernel = Kernels.AUTO;
        private int hcSample = DEFAULT_HC_SAMPLE;
        private Prior prior = Prior.NONE;
        private CovarianceShrinkage shrinkage = CovarianceShrinkage.NONE;

        private Builder(int k, CovarianceType covarianceType) {
            this.k = k;
            this.covarianceType = covarianceType;
        }

        public Builder k(int value) {
            k = value;
            return this;
        }

        public Builder covarianceType(CovarianceType value) {
            covarianceType = value;
            return this;
        }

        public Builder maxIter(int value) {
            maxIter = value;
            return this;
        }

        public Builder tol(double value) {
            tol = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder initMode(InitMode value) {
            initMode = value;
            return this;
        }

        public Builder nInit(int value) {
            nInit = value;
            return this;
        }

        public Builder regCovar(double value) {
            regCovar = value;
            return this;
        }

        /** Starts from the given mixture: sets init mode {@code model}, or back to auto when null. */
        public Builder initialModel(Mixture value) {
            initialModel = value;
            initMode = value == null ? InitMode.AUTO : InitMode.MODEL;
            return this;
        }

        public Builder sampleSize(int value) {
            sampleSize = value;
            return this;
        }

        public Builder initIterations(int value) {
            initIterations = value;
            return this;
        }

        public Builder kernel(String value) {
            kernel = value;
            return this;
        }

        public Builder hcSample(int value) {
            hcSample = value;
            return this;
        }

        public Builder prior(Prior value) {
            prior = value;
            return this;
        }

        public Builder shrinkage(CovarianceShrinkage value) {
            shrinkage = value;
            return this;
        }

        public EmOptions build() {
            return new EmOptions(k, covarianceType, maxIter, tol, seed, initMode, nInit, regCovar, initialModel,
                    sampleSize, initIterations, kernel, hcSample, prior, shrinkage);
        }
    }
}
