package io.mixspark.sdp;

/**
 * The shrinkage applied to one cluster's covariance: (1 - intensity) S + intensity T, with T the
 * named target.
 *
 * @param target    the target's name ({@code "scaled-identity"}: (tr S / d) I)
 * @param intensity the weight of the target, in [0, 1]
 */
public record ClusterShrinkage(String target, double intensity) {

    public static final String SCALED_IDENTITY = "scaled-identity";

    public ClusterShrinkage {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target is required");
        }
        if (!(intensity >= 0 && intensity <= 1)) {
            throw new IllegalArgumentException("intensity must be in [0, 1], got " + intensity);
        }
    }
}
