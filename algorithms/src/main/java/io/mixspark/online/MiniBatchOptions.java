package io.mixspark.online;

/**
 * Settings of mini-batch EM over a static table ({@link MiniBatchEm}).
 *
 * @param batchRows        rows per online-EM step: blocks are taken, in a shuffled order, until they
 *                         hold at least this many, >= 1
 * @param passes           passes over the data, >= 1
 * @param finishIterations full batch EM iterations after the passes, 0 to {@link #MAX_FINISH_ITERATIONS}
 * @param stepExponent     alpha of the step {@code (t + stepOffset)^-alpha}, in (0.5, 1]
 * @param stepOffset       t0 of the step, >= 0
 */
public record MiniBatchOptions(long batchRows, int passes, int finishIterations, double stepExponent,
                               double stepOffset) {

    public static final long DEFAULT_BATCH_ROWS = 100_000;
    public static final int DEFAULT_PASSES = 2;
    public static final int DEFAULT_FINISH_ITERATIONS = 1;
    public static final int MAX_FINISH_ITERATIONS = 2;

    public MiniBatchOptions {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, got " + passes);
        }
        if (finishIterations < 0 || finishIterations > MAX_FINISH_ITERATIONS) {
            throw new IllegalArgumentException("finishIterations must be 0, 1 or 2, got " + finishIterations);
        }
        if (!(stepExponent > 0.5 && stepExponent <= 1)) {
            throw new IllegalArgumentException("stepExponent must be in (0.5, 1], got " + stepExponent);
        }
        if (!(stepOffset >= 0) || Double.isInfinite(stepOffset)) {
            throw new IllegalArgumentException("stepOffset must be a finite number >= 0, got " + stepOffset);
        }
    }

    /** The defaults with the given batch size, passes and finishing iterations. */
    public static MiniBatchOptions of(long batchRows, int passes, int finishIterations) {
        return new MiniBatchOptions(batchRows, passes, finishIterations, OnlineEmOptions.DEFAULT_STEP_EXPONENT,
                OnlineEmOptions.DEFAULT_STEP_OFFSET);
    }
}
