package io.mixspark.federated;

import java.io.Serializable;

/**
 * Settings of {@link PrivateFederatedEm}.
 *
 * @param epsilon         target epsilon over all rounds, > 0 ({@code +Infinity}: clip, add no noise)
 * @param delta           target delta, in (0, 1)
 * @param clipNorm        B: every row is scaled into the L2 ball of radius B, > 0
 * @param placement       where the noise is added
 * @param eigenvalueFloor smallest covariance eigenvalue after post-processing, in (0, B^2)
 * @param minWeight       smallest mixing weight after post-processing, in [0, 1)
 * @param seed            seed of the noise
 */
public record PrivacyOptions(double epsilon, double delta, double clipNorm, NoisePlacement placement,
                             double eigenvalueFloor, double minWeight, long seed) implements Serializable {

    /** Gaussian releases per round: counts, first moments, scatters. */
    public static final int RELEASES_PER_ROUND = 3;

    /** Default floor on weights after noise. */
    public static final double DEFAULT_MIN_WEIGHT = 1e-3;

    /** Default eigenvalue floor as a share of B^2: standard deviations of at least B / 100. */
    public static final double DEFAULT_EIGENVALUE_FLOOR_SHARE = 1e-4;

    /** Who adds the noise. */
    public enum NoisePlacement {
        /**
         * Every site perturbs its own statistics before they leave it, so the server need not be
         * trusted; the noise in the sum grows with the square root of the number of sites.
         */
        SITE,
        /**
         * Noise is added once to the merged statistics: a trusted server, or secure aggregation
         * that only reveals the sum.
         */
        SERVER
    }

    public PrivacyOptions {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0 (or +Infinity), got " + epsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number > 0, got " + clipNorm);
        }
        if (placement == null) {
            throw new IllegalArgumentException("noise placement is required");
        }
        if (!(eigenvalueFloor > 0 && eigenvalueFloor < clipNorm * clipNorm)) {
            throw new IllegalArgumentException("eigenvalueFloor must be in (0, clipNorm^2 = " + clipNorm * clipNorm
                    + "), got " + eigenvalueFloor);
        }
        if (!(minWeight >= 0 && minWeight < 1)) {
            throw new IllegalArgumentException("minWeight must be in [0, 1), got " + minWeight);
        }
    }

    /** Site-side noise, the default floors and seed 0. */
    public static PrivacyOptions of(double epsilon, double delta, double clipNorm) {
        return new PrivacyOptions(epsilon, delta, clipNorm, NoisePlacement.SITE,
                DEFAULT_EIGENVALUE_FLOOR_SHARE * clipNorm * clipNorm, DEFAULT_MIN_WEIGHT, 0);
    }

    public PrivacyOptions withPlacement(NoisePlacement value) {
        return new PrivacyOptions(epsilon, delta, clipNorm, value, eigenvalueFloor, minWeight, seed);
    }

    public PrivacyOptions withSeed(long value) {
        return new PrivacyOptions(epsilon, delta, clipNorm, placement, eigenvalueFloor, minWeight, value);
    }

    public PrivacyOptions withEpsilon(double value) {
        return new PrivacyOptions(value, delta, clipNorm, placement, eigenvalueFloor, minWeight, seed);
    }

    /**
     * The noise multiplier z for this many rounds: every release has noise sigma = z Delta, with
     * Delta = 1, B and B^2 for counts, first moments and scatters; 0 when epsilon is infinite.
     */
    public double noiseMultiplier(int rounds) {
        return ZcdpAccountant.noiseMultiplier(epsilon, delta, RELEASES_PER_ROUND * rounds);
    }
}
