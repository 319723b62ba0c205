package io.mixspark.select;

import io.mixspark.data.BatchedPasses;
import io.mixspark.data.BlockData;
import io.mixspark.em.BatchedFits;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Grid search over the number of components and covariance types, ranked by an information criterion. */
public final class ModelSelection {

    private ModelSelection() {
    }

    /** Which criterion ranks the candidates (smaller is better for all three). */
    public enum Criterion {
        BIC(EmResult::bic), AIC(EmResult::aic), ICL(EmResult::icl);

        private final ToDoubleFunction<EmResult> value;

        Criterion(ToDoubleFunction<EmResult> value) {
            this.value = value;
        }

        public double of(EmResult result) {
            return value.applyAsDouble(result);
        }

        public static Criterion parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("criterion must be one of bic, aic, icl, got '" + text + "'", e);
            }
        }
    }

    /** One fitted candidate of the grid. */
    public record Candidate(int k, CovarianceType covarianceType, EmResult result) {
    }

    /** Why a candidate could not be fitted. */
    public enum FailureKind {
        /** The data cannot hold it, such as more components than distinct rows. */
        DATA("data"),
        /** EM broke down numerically: a covariance became singular, or the likelihood not finite. */
        SINGULAR("singular"),
        /** The prior is not defined for the model (mclust refuses it too, or it is not implemented). */
        PRIOR("prior");

        private final String id;

        FailureKind(String id) {
            this.id = id;
        }

        /** The lower-case name written to selection.json. */
        public String id() {
            return id;
        }
    }

    /**
     * A candidate of the grid that could not be fitted.
     *
     * @param kind   what kind of failure
     * @param reason the failure's message
     */
    public record Failure(int k, CovarianceType covarianceType, FailureKind kind, String reason) {

        /** {@code k=3, VVV (full): <reason>}. */
        public String describe() {
            return "k=" + k + ", " + covarianceType.label() + ": " + reason;
        }
    }

    /**
     * The grid's candidates in the order fitted, and the best by {@code criterion}.
     *
     * @param failures candidates that could not be fitted, with the reason: the selection is
     *                 partial when there are any
     * @param passes   passes made over the data for the whole grid
     */
    public record Selection(List<Candidate> candidates, Candidate best, Criterion criterion, List<Failure> failures,
                            int passes) {

        /** Whether some candidates of the grid are missing, so {@code best} is the best of the rest. */
        public boolean partial() {
            return !failures.isEmpty();
        }
    }

    /**
     * Fits every (k, type) pair with the other settings of {@code base} and picks the smallest
     * criterion. The fits run batched ({@link BatchedFits}): one pass over the data per round
     * serves every fit still iterating, and each fit ends as it would alone. A candidate that
     * fails for its data or numerically (say, more components than distinct rows, or a singular
     * covariance) is listed in {@code failures} with a warning rather than stopping the search;
     * any other exception is a bug and propagates.
     *
     * @throws IllegalArgumentException      if no candidate could be fitted and some failed for their data
     * @throws NumericalFailureException     if every candidate failed numerically
     */
    public static Selection select(BlockData data, List<Integer> ks, List<CovarianceType> types, EmOptions base,
                                   Criterion criterion, FitListener listener) {
        return select(data, ks, types, base, criterion, listener, BatchedPasses.DEFAULT_MAX_BATCH_BYTES);
    }

    /** As above, each pass carrying at most {@code maxBatchBytes} of statistics ({@link BatchedPasses}). */
    public static Selection select(BlockData data, List<Integer> ks, List<CovarianceType> types, EmOptions base,
                                   Criterion criterion, FitListener listener, long maxBatchBytes) {
        if (ks.isEmpty() || types.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one k and one covariance type");
        }
        InitMode init = base.initMode() == InitMode.MODEL ? InitMode.AUTO : base.initMode();
        List<EmOptions> grid = new ArrayList<>();
        for (CovarianceType type : types) {
            for (int k : ks) {
                grid.add(base.toBuilder().k(k).covarianceType(type).initialModel(null).initMode(init).build());
            }
        }
        BatchedFits.Batch batch = BatchedFits.fit(data, grid, listener, maxBatchBytes);
        List<Candidate> candidates = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        boolean allNumerical = true;
        for (BatchedFits.Outcome outcome : batch.outcomes()) {
            int k = outcome.options().k();
            CovarianceType type = outcome.options().covarianceType();
            if (outcome.succeeded()) {
                candidates.add(new Candidate(k, type, outcome.result()));
                continue;
            }
            RuntimeException e = outcome.failure();
            if (!(e instanceof IllegalArgumentException || e instanceof NumericalFailureException)) {
                throw e;
            }
            FailureKind kind = e instanceof NumericalFailureException ? FailureKind.SINGULAR
                    : outcome.options().prior() != Prior.NONE && Prior.refusal(type) != null ? FailureKind.PRIOR
                    : FailureKind.DATA;
            Failure failure = new Failure(k, type, kind, e.getMessage());
            failures.add(failure);
            allNumerical &= e instanceof NumericalFailureException;
            listener.warning("model selection could not fit " + failure.describe());
        }
        if (candidates.isEmpty()) {
            String message = "no candidate of the grid could be fitted: "
                    + failures.stream().map(Failure::describe).toList();
            throw allNumerical ? new NumericalFailureException(message) : new IllegalArgumentException(message);
        }
        Candidate best = candidates.stream()
                .min(Comparator.comparingDouble(c -> criterion.of(c.result()))).orElseThrow();
        return new Selection(List.copyOf(candidates), best, criterion, List.copyOf(failures), batch.passes());
    }
}
