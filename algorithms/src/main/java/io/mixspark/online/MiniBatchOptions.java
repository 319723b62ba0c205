package io.mixspark.online;

import io.mixspark.em.EmOptions;

/**
 * Settings of mini-batch EM over a static table ({@link MiniBatchEm}).
 *
 * @param batchRows        rows per online-EM step: blocks are taken, in a shuffled order, until they
 *                         hold at least this many, >= 1
 * @param passes           passes over the data, >= 1
 * @param finishIterations full batch EM iterations after the passes at most, fewer when batch EM's
 *                         convergence test (its {@code tol}) holds first, >= 0
 * @param stepExponent     alpha of the step {@code (t + stepOffset)^-alpha}, in (0.5, 1]
 * @param stepOffset       t0 of the step, >= 0
 * @param update           how a group's statistics enter the running ones
 */
public record MiniBatchOptions(long batchRows, int passes, int finishIterations, double stepExponent,
                               double stepOffset, Update update) {

    /** How a step updates the running statistics. */
    public enum Update {
        /** Online EM: s <- (1 - eta) s + eta s_group, eta from the schedule and the group's share. */
        STOCHASTIC,
        /**
         * Incremental EM ({@link IncrementalEm}): each group's last statistics are replaced in the
         * total, exact and monotone; it keeps groups x k x d^2 doubles and one extra pass fills them.
         */
        INCREMENTAL
    }

    /** Most bytes incremental EM keeps for its groups' statistics on the driver (256 MiB). */
    public static final long INCREMENTAL_MEMORY_BYTES = 256L << 20;

    /** With stochastic (online-EM) steps. */
    public MiniBatchOptions(long batchRows, int passes, int finishIterations, double stepExponent,
                            double stepOffset) {
        this(batchRows, passes, finishIterations, stepExponent, stepOffset, Update.STOCHASTIC);
    }

    public static final long DEFAULT_BATCH_ROWS = 100_000;
    public static final int DEFAULT_PASSES = 2;
    /**
     * As many as batch EM's default {@code maxIter}: by default the fit ends where batch EM's own
     * convergence test holds, so it gives batch EM's answer (docs/STREAMING.md, "Mini-batch EM").
     */
    public static final int DEFAULT_FINISH_ITERATIONS = EmOptions.DEFAULT_MAX_ITER;
    /**
     * Large steps for large batches: a step from 10^4 to 10^5 rows is precise enough that alpha just
     * above 0.5 and no offset converge fastest (docs/STREAMING.md, "Mini-batch EM").
     */
    public static final double DEFAULT_STEP_EXPONENT = 0.51;
    public static final double DEFAULT_STEP_OFFSET = 0;

    public MiniBatchOptions {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, got " + passes);
        }
        if (finishIterations < 0) {
            throw new IllegalArgumentException("finishIterations must be >= 0, got " + finishIterations);
        }
        if (!(stepExponent > 0.5 && stepExponent <= 1)) {
            throw new IllegalArgumentException("stepExponent must be in (0.5, 1], got " + stepExponent);
        }
        if (!(stepOffset >= 0) || Double.isInfinite(stepOffset)) {
            throw new IllegalArgumentException("stepOffset must be a finite number >= 0, got " + stepOffset);
        }
        if (update == null) {
            throw new IllegalArgumentException("update must be stochastic or incremental");
        }
    }

    /** These settings with another update rule. */
    public MiniBatchOptions withUpdate(Update rule) {
        return new MiniBatchOptions(batchRows, passes, finishIterations, stepExponent, stepOffset, rule);
    }

    /** The defaults with the given batch size, passes and finishing iterations. */
    public static MiniBatchOptions of(long batchRows, int passes, int finishIterations) {
        return new MiniBatchOptions(batchRows, passes, finishIterations, DEFAULT_STEP_EXPONENT, DEFAULT_STEP_OFFSET);
    }
}
