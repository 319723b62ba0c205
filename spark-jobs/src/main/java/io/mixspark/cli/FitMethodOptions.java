package io.mixspark.cli;

import io.mixspark.online.IncrementalMemoryException;
import io.mixspark.online.MiniBatchOptions;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code fit --method}: batch EM, or mini-batch EM with its batch size, passes, finishing iterations and
 * update rule.
 */
public final class FitMethodOptions {

    @Option(names = "--method", paramLabel = "METHOD",
            description = "em (every iteration passes over all rows) or minibatch (online EM steps over groups of"
                    + " cached blocks in a shuffled order, for tables too big for many passes) (default:"
                    + " ${DEFAULT-VALUE}).")
    String method = MixSparkGaussianMixture.METHOD_EM;

    @Option(names = "--batch-rows", paramLabel = "B",
            description = "Mini-batch EM: rows per step, in whole blocks (default: 100000).")
    Long batchRows;

    @Option(names = "--passes", paramLabel = "P", description = "Mini-batch EM: passes over the data (default: 2).")
    Integer passes;

    @Option(names = "--finish-iterations", paramLabel = "N",
            description = "Mini-batch EM: full EM iterations after the passes at most, fewer once batch EM's"
                    + " convergence test (--tol) holds (default: 100, as --max-iter of --method em).")
    Integer finishIterations;

    @Option(names = "--update", paramLabel = "RULE",
            description = "Mini-batch EM: stochastic (online-EM steps) or incremental (each group's last statistics"
                    + " are replaced in the total: monotone, suits small groups; keeps groups x K x d^2"
                    + " numbers, at most 256 MiB) (default: stochastic).")
    String update;

    /**
     * The mini-batch settings, or null for batch EM; throws IllegalArgumentException for a bad value,
     * a mini-batch option without {@code --method minibatch}, or a mini-batch fit with options that
     * only batch EM has.
     *
     * @param emOnlyGiven the options given that apply to batch EM only, if any (for example --max-iter)
     */
    MiniBatchOptions validate(String emOnlyGiven) {
        String m = method.toLowerCase(Locale.ROOT);
        if (m.equals(MixSparkGaussianMixture.METHOD_EM)) {
            String given = batchRows != null ? "--batch-rows" : passes != null ? "--passes"
                    : finishIterations != null ? "--finish-iterations" : update != null ? "--update" : null;
            if (given != null) {
                throw new IllegalArgumentException(given + " applies to --method minibatch; add --method minibatch, or"
                        + " drop " + given);
            }
            return null;
        }
        if (!m.equals(MixSparkGaussianMixture.METHOD_MINIBATCH)) {
            throw new IllegalArgumentException("--method must be em or minibatch, got '" + method + "'");
        }
        if (emOnlyGiven != null) {
            throw new IllegalArgumentException(emOnlyGiven + " applies to --method em; mini-batch EM runs --passes"
                    + " passes and --finish-iterations EM iterations");
        }
        if (batchRows != null && batchRows < 1) {
            throw new IllegalArgumentException("--batch-rows must be >= 1, got " + batchRows);
        }
        if (passes != null && passes < 1) {
            throw new IllegalArgumentException("--passes must be >= 1, got " + passes);
        }
        if (finishIterations != null && finishIterations < 0) {
            throw new IllegalArgumentException("--finish-iterations must be >= 0, got " + finishIterations);
        }
        return MiniBatchOptions.of(batchRows == null ? MiniBatchOptions.DEFAULT_BATCH_ROWS : batchRows,
                passes == null ? MiniBatchOptions.DEFAULT_PASSES : passes,
                finishIterations == null ? MiniBatchOptions.DEFAULT_FINISH_ITERATIONS : finishIterations)
                .withUpdate(updateRule());
    }

    private MiniBatchOptions.Update updateRule() {
        if (update == null) {
            return MiniBatchOptions.Update.STOCHASTIC;
        }
        try {
            return MiniBatchOptions.Update.valueOf(update.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--update must be stochastic or incremental, got '" + update + "'");
        }
    }

    /**
     * The refusal of incremental EM for too many groups, as a usage error naming the options that fix it.
     *
     * @param batchRows the rows per group asked for
     */
    static Validation.UsageException tooManyGroups(IncrementalMemoryException e, long batchRows) {
        long limit = MiniBatchOptions.INCREMENTAL_MEMORY_BYTES;
        // groups are whole blocks, so the fitting batch size is about proportional, not exact
        long enough = (long) Math.ceil((double) batchRows * e.bytes() / limit);
        return new Validation.UsageException("--update incremental would keep " + (e.bytes() >> 20) + " MiB of"
                + " statistics for " + e.groups() + " groups on the driver (at most " + (limit >> 20) + " MiB);"
                + " give fewer, larger groups with --batch-rows (about " + enough + " or more), or --update"
                + " stochastic");
    }

    /** The method's name as metrics.json and the estimator spell it. */
    String name() {
        return method.toLowerCase(Locale.ROOT);
    }
}
