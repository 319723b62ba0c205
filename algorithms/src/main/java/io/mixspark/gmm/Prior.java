package io.mixspark.gmm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Whether the M-step takes a prior on the means and covariances. */
public enum Prior {
    /** Maximum likelihood (the default, as in mclust). */
    NONE("none"),
    /** mclust's default conjugate prior ({@code priorControl()}): MAP estimates, see {@link ConjugatePrior}. */
    DEFAULT("default");

    private final String id;

    Prior(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * Why mclust fits this model without a prior only ("VEE model is not available with prior"),
     * or null when it has one: mclust has no conjugate prior for VEE, EVE, VVE and EVV.
     */
    public static String refusal(CovarianceType type) {
        return switch (type) {
            case VEE, EVE, VVE, EVV -> "mclust has no conjugate prior for the " + type.id() + " model (nor for VEE,"
                    + " EVE, VVE and EVV); fit " + type.id() + " without the prior, or another model with it";
            default -> null;
        };
    }

    public static Prior parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Prior prior : values()) {
            if (prior.id.equals(t)) {
                return prior;
            }
        }
        throw new IllegalArgumentException("prior must be one of "
                + Arrays.stream(values()).map(Prior::id).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }
}
