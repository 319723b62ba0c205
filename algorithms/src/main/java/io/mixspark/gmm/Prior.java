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
