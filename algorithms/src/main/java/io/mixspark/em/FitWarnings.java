package io.mixspark.em;

import io.mixspark.gmm.CovarianceStorage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Signs that a fit ran but its numbers say little. A component rests on too few rows when they
 * cannot determine its covariance: n rows span at most n - 1 directions, so a full covariance in
 * d dimensions needs d + 1 rows, a diagonal or spherical one 2, and a tied one k + d rows in all
 * (the pooled scatter about k means). Below that only the regularisation keeps the covariance
 * positive definite, and the log-likelihood grows without bound as it shrinks. A component's rows
 * are its weight times the rows of the fit. A fit with covariance shrinkage gets no such warning:
 * there the shrinkage target determines what the rows cannot, and the fewer the rows the more it
 * weighs (the intensities are in the result).
 */
public final class FitWarnings {

    /** The code of a fit with a component on too few rows, as metrics.json records it. */
    public static final String TOO_FEW_ROWS = "too-few-rows-per-component";

    private static final String ADVICE = "the data cannot determine such a covariance, and the log-likelihood says"
            + " little: use fewer components, a simpler covariance type, or more rows";

    /** Absorbs the rounding of weight times rows at the boundary. */
    private static final double SLACK = 1e-6;

    private FitWarnings() {
    }

    /**
     * @param code    a stable identifier, for scripts
     * @param message what the user reads after {@code warning:}
     */
    public record Warning(String code, String message) implements Serializable {
    }

    /** The warnings a fit deserves; empty for a well-determined one. */
    public static List<Warning> of(EmResult fit) {
        if (fit.shrunk()) {
            return List.of();
        }
        Mixture model = fit.model();
        int k = model.k();
        int d = model.d();
        CovarianceType type = model.covarianceType();
        if (type.storage() == CovarianceStorage.TIED) {
            long needed = (long) k + d;
            if (fit.rows() >= needed) {
                return List.of();
            }
            return List.of(new Warning(TOO_FEW_ROWS, String.format(Locale.ROOT, "the %d components rest on %d rows,"
                    + " fewer than the %d their tied covariance in d = %d needs; %s", k, fit.rows(), needed, d, ADVICE)));
        }
        int needed = rowsNeeded(type, d);
        List<Integer> thin = new ArrayList<>();
        int fewest = -1;
        for (int c = 0; c < k; c++) {
            if (rowsOf(fit, c) < needed - SLACK) {
                thin.add(c);
                if (fewest < 0 || rowsOf(fit, c) < rowsOf(fit, fewest)) {
                    fewest = c;
                }
            }
        }
        if (thin.isEmpty()) {
            return List.of();
        }
        String name = type.label();
        String message = thin.size() == 1
                ? String.format(Locale.ROOT, "component %d rests on %.1f rows, fewer than the %d its %s covariance in"
                        + " d = %d needs; %s", fewest, rowsOf(fit, fewest), needed, name, d, ADVICE)
                : String.format(Locale.ROOT, "%d of %d components rest on fewer than the %d rows a %s covariance in"
                        + " d = %d needs (the fewest: component %d, %.1f rows); %s", thin.size(), k, needed, name, d,
                        fewest, rowsOf(fit, fewest), ADVICE);
        return List.of(new Warning(TOO_FEW_ROWS, message));
    }

    /** The fewest rows that determine one component's covariance of this type (not tied). */
    static int rowsNeeded(CovarianceType type, int d) {
        // Only models that take each component's own full scatter as its shape (up to volume) need it
        // to be of full rank; the others pool shape or orientation over components.
        return type == CovarianceType.VVV || type == CovarianceType.EVV ? d + 1 : 2;
    }

    private static double rowsOf(EmResult fit, int component) {
        return fit.model().weight(component) * fit.rows();
    }
}
