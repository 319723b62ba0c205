package io.mixspark.online;

import io.mixspark.em.EmOptions;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;

/**
 * Settings of online EM. The step size of update t (1-based) is {@code (t + stepOffset)^-stepExponent}
 * (Cappé and Moulines' decreasing step, for stationary data), or the constant {@code decay} when it is
 * above 0 (exponential forgetting, for drifting data).
 *
 * @param k                 components of the start (from the first batch), >= 1
 * @param maxK              most components growth may reach, >= k; growth and pruning are off when equal
 * @param covarianceType    covariance parameterisation
 * @param regCovar          added to every variance in the M-step, >= 0
 * @param stepExponent      alpha in (0.5, 1]
 * @param stepOffset        t0 >= 0
 * @param decay             constant step in (0, 1), or 0 for the decreasing step
 * @param noveltyThreshold  a row is novel when its log-density is below this; NaN (the default) makes a
 *                          row novel when it lies outside every component's {@link #NOVELTY_LEVEL}
 *                          chi-square ellipsoid (FIGMN's criterion)
 * @param minNovelShare     growth needs the novel rows' share of a batch's weight above this, in [0, 1)
 * @param weightFloor       with growth on, components whose weight falls below this are removed, in [0, 1)
 * @param sampleRows        rows a batch summary samples: the first batch's start and the novel rows, >= 1
 * @param initIterations    EM iterations on a sample for the start and for new components, >= 1
 * @param seed              seed of every random choice (mixed with the update number)
 * @param kernel            likelihood kernel name
 */
public record OnlineEmOptions(int k, int maxK, CovarianceType covarianceType, double regCovar, double stepExponent,
                              double stepOffset, double decay, double noveltyThreshold, double minNovelShare,
                              double weightFloor, int sampleRows, int initIterations, long seed, String kernel) {

    public static final double DEFAULT_STEP_EXPONENT = 0.6;
    public static final double DEFAULT_STEP_OFFSET = 2.0;
    public static final double DEFAULT_MIN_NOVEL_SHARE = 0.05;
    public static final double DEFAULT_WEIGHT_FLOOR = 0.005;
    public static final int DEFAULT_SAMPLE_ROWS = 10_000;
    public static final int DEFAULT_INIT_ITERATIONS = 30;
    /** The chi-square level of the default novelty test: outside the 99.9% ellipsoid of every component. */
    public static final double NOVELTY_LEVEL = 0.999;

    public OnlineEmOptions {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (maxK < k) {
            throw new IllegalArgumentException("maxK must be >= k (" + k + "), got " + maxK);
        }
        if (covarianceType == null) {
            throw new IllegalArgumentException("covarianceType is required");
        }
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if (!(stepExponent > 0.5 && stepExponent <= 1)) {
            throw new IllegalArgumentException("stepExponent must be in (0.5, 1], got " + stepExponent);
        }
        if (!(stepOffset >= 0) || Double.isInfinite(stepOffset)) {
            throw new IllegalArgumentException("stepOffset must be a finite number >= 0, got " + stepOffset);
        }
        if (!(decay == 0 || (decay > 0 && decay < 1))) {
            throw new IllegalArgumentException("decay must be in (0, 1), or 0 for a decreasing step, got " + decay);
        }
        if (Double.isInfinite(noveltyThreshold)) {
            throw new IllegalArgumentException("noveltyThreshold must be a finite log-density, or NaN for the"
                    + " chi-square test, got " + noveltyThreshold);
        }
        if (!(minNovelShare >= 0 && minNovelShare < 1)) {
            throw new IllegalArgumentException("minNovelShare must be in [0, 1), got " + minNovelShare);
        }
        if (!(weightFloor >= 0 && weightFloor < 1)) {
            throw new IllegalArgumentException("weightFloor must be in [0, 1), got " + weightFloor);
        }
        if (sampleRows < 1) {
            throw new IllegalArgumentException("sampleRows must be >= 1, got " + sampleRows);
        }
        if (initIterations < 1) {
            throw new IllegalArgumentException("initIterations must be >= 1, got " + initIterations);
        }
        if (kernel == null || kernel.isBlank()) {
            throw new IllegalArgumentException("kernel name is required");
        }
    }

    /** Whether batches may add and remove components. */
    public boolean growth() {
        return maxK > k;
    }

    /** The step size of update t (1-based). */
    public double step(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("update numbers start at 1, got " + t);
        }
        return decay > 0 ? decay : Math.pow(t + stepOffset, -stepExponent);
    }

    /** A builder starting from the defaults for k components of the given type, without growth. */
    public static Builder builder(int k, CovarianceType type) {
        return new Builder(k, type);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder(k, covarianceType);
        b.maxK = maxK;
        b.regCovar = regCovar;
        b.stepExponent = stepExponent;
        b.stepOffset = stepOffset;
        b.decay = decay;
        b.noveltyThreshold = noveltyThreshold;
        b.minNovelShare = minNovelShare;
        b.weightFloor = weightFloor;
        b.sampleRows = sampleRows;
        b.initIterations = initIterations;
        b.seed = seed;
        b.kernel = kernel;
        return b;
    }

    /** Mutable staging for {@link OnlineEmOptions}; {@link #build()} validates. */
    public static final class Builder {
        private final int k;
        private final CovarianceType covarianceType;
        private int maxK;
        private double regCovar = EmOptions.DEFAULT_REG_COVAR;
        private double stepExponent = DEFAULT_STEP_EXPONENT;
        private double stepOffset = DEFAULT_STEP_OFFSET;
        private double decay;
        private double noveltyThreshold = Double.NaN;
        private double minNovelShare = DEFAULT_MIN_NOVEL_SHARE;
        private double weightFloor = DEFAULT_WEIGHT_FLOOR;
        private int sampleRows = DEFAULT_SAMPLE_ROWS;
        private int initIterations = DEFAULT_INIT_ITERATIONS;
        private long seed;
        private String kernel = Kernels.AUTO;

        private Builder(int k, CovarianceType covarianceType) {
            this.k = k;
            this.covarianceType = covarianceType;
            this.maxK = k;
        }

        public Builder maxK(int value) {
            maxK = value;
            return this;
        }

        public Builder regCovar(double value) {
            regCovar = value;
            return this;
        }

        public Builder stepExponent(double value) {
            stepExponent = value;
            return this;
        }

        public Builder stepOffset(double value) {
            stepOffset = value;
            return this;
        }

        public Builder decay(double value) {
            decay = value;
            return this;
        }

        public Builder noveltyThreshold(double value) {
            noveltyThreshold = value;
            return this;
        }

        public Builder minNovelShare(double value) {
            minNovelShare = value;
            return this;
        }

        public Builder weightFloor(double value) {
            weightFloor = value;
            return this;
        }

        public Builder sampleRows(int value) {
            sampleRows = value;
            return this;
        }

        public Builder initIterations(int value) {
            initIterations = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder kernel(String value) {
            kernel = value;
            return this;
        }

        public OnlineEmOptions build() {
            return new OnlineEmOptions(k, maxK, covarianceType, regCovar, stepExponent, stepOffset, decay,
                    noveltyThreshold, minNovelShare, weightFloor, sampleRows, initIterations, seed, kernel);
        }
    }
}
