package io.mixspark.sdp;

/**
 * Settings of the ADMM solver {@link KMeansSdp}.
 *
 * @param maxIterations     ADMM iterations at most
 * @param tolerance         stop when both relative residuals (see {@link SdpResult}) fall below it
 * @param initialPenalty    starting ADMM penalty rho, for the objective scaled to unit Frobenius norm
 * @param roundingSeed      seed of the k-means++ run of the rounding step
 */
public record SdpOptions(int maxIterations, double tolerance, double initialPenalty, long roundingSeed) {

    /**
     * 10000 iterations, relative residuals below 1e-5, rho = 1, rounding seed 0. At 1e-5 the
     * objective matches cvxopt's optimum (KMeansSdpTest; docs/SDP.md, "Checks"); labels settle
     * much earlier, so 1e-4 is enough when only the clustering matters.
     */
    public static final SdpOptions DEFAULTS = new SdpOptions(10000, 1e-5, 1.0, 0L);

    public SdpOptions {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (!(initialPenalty > 0) || Double.isInfinite(initialPenalty)) {
            throw new IllegalArgumentException("initialPenalty must be a finite number > 0, got " + initialPenalty);
        }
    }

    public SdpOptions withTolerance(double value) {
        return new SdpOptions(maxIterations, value, initialPenalty, roundingSeed);
    }

    public SdpOptions withRoundingSeed(long value) {
        return new SdpOptions(maxIterations, tolerance, initialPenalty, value);
    }

    public SdpOptions withMaxIterations(int value) {
        return new SdpOptions(value, tolerance, initialPenalty, roundingSeed);
    }
}
