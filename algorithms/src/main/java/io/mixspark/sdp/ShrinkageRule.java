package io.mixspark.sdp;

import io.mixspark.gmm.OracleApproximatingShrinkage;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@link IlaSdp} chooses each cluster's covariance shrinkage toward (tr S / d) I. */
public enum ShrinkageRule {
    /**
     * Oracle approximating shrinkage ({@link OracleApproximatingShrinkage}), from the cluster's row
     * count and covariance alone: the rule EM's M-step uses on soft counts ({@code regCovar auto}),
     * so iLA-SDP and EM are compared with the same regularisation.
     */
    OAS("oas"),
    /** Ledoit-Wolf (2004), from the rows' fourth moments as well ({@link LedoitWolfShrinkage}). */
    LEDOIT_WOLF("ledoit-wolf");

    private final String id;

    ShrinkageRule(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static ShrinkageRule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ShrinkageRule rule : values()) {
            if (rule.id.equals(t)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("shrinkage must be one of "
                + Arrays.stream(values()).map(ShrinkageRule::id).collect(Collectors.joining(", ")) + ", got '"
                + text + "'");
    }

    /**
     * The intensity for a cluster of n rows with maximum-likelihood covariance s (p x p, row-major)
     * and sum of fourth powers of its centred rows (used by Ledoit-Wolf only).
     */
    double intensity(double[] s, int p, int n, double sumOfFourthPowers) {
        return switch (this) {
            case LEDOIT_WOLF -> LedoitWolfShrinkage.intensity(s, p, n, sumOfFourthPowers);
            case OAS -> OracleApproximatingShrinkage.intensity(s, p, n);
        };
    }
}
