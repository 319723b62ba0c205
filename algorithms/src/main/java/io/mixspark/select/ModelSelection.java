package io.mixspark.select;

import io.mixspark.data.BlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
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

    /**
     * The grid's candidates in the order fitted, and the best by {@code criterion}.
     *
     * @param failures candidates that could not be fitted, with the reason
     */
    public record Selection(List<Candidate> candidates, Candidate best, Criterion criterion, List<String> failures) {
    }

    /**
     * Fits every (k, type) pair with the other settings of {@code base} and picks the smallest
     * criterion. A candidate that fails numerically (say, too many components for the rows)
     * is reported in {@code failures} rather than stopping the search.
     */
    public static Selection select(BlockData data, List<Integer> ks, List<CovarianceType> types, EmOptions base,
                                   Criterion criterion, FitListener listener) {
        if (ks.isEmpty() || types.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one k and one covariance type");
        }
        List<Candidate> candidates = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (CovarianceType type : types) {
            for (int k : ks) {
                InitMode init = base.initMode() == InitMode.MODEL ? InitMode.AUTO : base.initMode();
                EmOptions options = base.toBuilder().k(k).covarianceType(type).initialModel(null).initMode(init)
                        .build();
                try {
                    candidates.add(new Candidate(k, type, EmFitter.fit(data, options, listener)));
                } catch (RuntimeException e) {
                    failures.add("k=" + k + ", " + type.id() + ": " + e.getMessage());
                    listener.warning("model selection skipped k=" + k + ", " + type.id() + ": " + e.getMessage());
                }
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate of the grid could be fitted: " + failures);
        }
        Candidate best = candidates.stream()
                .min(Comparator.comparingDouble(c -> criterion.of(c.result()))).orElseThrow();
        return new Selection(List.copyOf(candidates), best, criterion, List.copyOf(failures));
    }
}
