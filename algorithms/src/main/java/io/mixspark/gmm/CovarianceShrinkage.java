package io.mixspark.gmm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether the M-step shrinks each covariance towards a scaled identity by an intensity chosen
 * from the data ({@link OracleApproximatingShrinkage}), before {@code regCovar} is added.
 *
 * <p>OAS takes a covariance estimated from n rows and n itself, so it applies to the models that
 * estimate a covariance directly from a scatter: VVV (each component from its own scatter and
 * effective count n_k, one rho_k each) and EEE (one covariance from the pooled within-component
 * scatter and the total count, one rho shared). The other models already pool or constrain their
 * parameters (the diagonal and spherical ones have at most d per component) and refuse it.
 */
public enum CovarianceShrinkage {
    /** The constrained maximum-likelihood covariance (the default). */
    NONE("none"),
    /** Oracle Approximating Shrinkage towards (tr S / d) I. */
    OAS("oas");

    private final String id;

    CovarianceShrinkage(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Why this shrinkage does not apply to a model, or null when it does. */
    public String refusal(CovarianceType type) {
        if (this == NONE || type == CovarianceType.VVV || type == CovarianceType.EEE) {
            return null;
        }
        return "covariance shrinkage " + id + " applies to the VVV (full) and EEE (tied) models, whose covariances"
                + " come straight from a scatter; " + type.label() + " constrains its covariances already";
    }

    public static CovarianceShrinkage parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (CovarianceShrinkage s : values()) {
            if (s.id.equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("covariance shrinkage must be one of "
                + Arrays.stream(values()).map(CovarianceShrinkage::id).collect(Collectors.joining(", "))
                + ", got '" + text + "'");
    }
}
