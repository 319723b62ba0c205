package io.mixspark.gmm;

import java.util.Locale;

/**
 * The arithmetic of the E-step's products. {@link #DOUBLE} computes everything in double;
 * {@link #FLOAT} computes the Mahalanobis products and the per-chunk scatter in float (twice the
 * vector lanes) and keeps the log-determinants, the log-sum-exp, the statistics and the M-step in
 * double.
 */
public enum Precision {
    DOUBLE, FLOAT;

    /** The name used on the command line and in saved settings: double or float. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision with this name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Precision of(String id) {
        for (Precision p : values()) {
            if (p.id().equals(id == null ? null : id.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be double or float, got '" + id + "'");
    }
}
