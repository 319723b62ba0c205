package io.mixspark.gmm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How each component's covariance matrix is parameterised (scikit-learn's names). */
public enum CovarianceType {
    /** Each component has its own d x d covariance. */
    FULL,
    /** Each component has its own diagonal covariance. */
    DIAG,
    /** Each component has its own single variance: sigma_k^2 I. */
    SPHERICAL,
    /** All components share one d x d covariance. */
    TIED;

    /** The lower-case name used on the command line and in model files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the M-step needs each component's full scatter matrix, not only its diagonal. */
    public boolean needsFullScatter() {
        return this == FULL || this == TIED;
    }

    /** Number of free covariance parameters for k components in d dimensions. */
    public long covarianceParameters(int k, int d) {
        long full = (long) d * (d + 1) / 2;
        return switch (this) {
            case FULL -> k * full;
            case DIAG -> (long) k * d;
            case SPHERICAL -> k;
            case TIED -> full;
        };
    }

    /** Parses {@code full|diag|spherical|tied}, case-insensitively. */
    public static CovarianceType parse(String text) {
        for (CovarianceType t : values()) {
            if (t.id().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("covariance type must be one of "
                + Arrays.stream(values()).map(CovarianceType::id).collect(Collectors.joining(", "))
                + ", got '" + text + "'");
    }
}
