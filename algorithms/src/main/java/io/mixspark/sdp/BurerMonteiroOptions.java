package io.mixspark.sdp;

/**
 * Settings of {@link BurerMonteiroSdp}; the defaults are the authors' code settings (Zhuang, Chen,
 * Yang and Zhang, ICLR 2024), except the step size, which is scaled to the data.
 *
 * @param maxIterations        projected-gradient iterations at most
 * @param beta                 augmented-Lagrangian penalty (10)
 * @param dualStepThreshold    take a dual step when ||dU||_F / sqrt K falls below it (1e-3)
 * @param tolerance            stop when ||dU||_F / sqrt K and ||U U^T 1 - 1|| / sqrt n are both below it (1e-6)
 * @param labelCheckEvery      iterations between roundings for the label-stability stop (50)
 * @param stableChecks         stop once this many consecutive roundings agree (up to relabelling) (4)
 * @param stableInfeasibility  ... and ||U U^T 1 - 1|| / sqrt n is below this (1e-2)
 * @param seed                 seed of the random nonnegative start and of the roundings
 */
public record BurerMonteiroOptions(int maxIterations, double beta, double dualStepThreshold, double tolerance,
        int labelCheckEvery, int stableChecks, double stableInfeasibility, long seed) {

    public static final BurerMonteiroOptions DEFAULTS = new BurerMonteiroOptions(20000, 10, 1e-3, 1e-6, 50, 4, 1e-2, 0L);

    public BurerMonteiroOptions {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a finite number > 0, got " + beta);
        }
        if (!(dualStepThreshold > 0)) {
            throw new IllegalArgumentException("dualStepThreshold must be > 0, got " + dualStepThreshold);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (labelCheckEvery < 1 || stableChecks < 2) {
            throw new IllegalArgumentException("labelCheckEvery must be >= 1 and stableChecks >= 2, got "
                    + labelCheckEvery + " and " + stableChecks);
        }
        if (!(stableInfeasibility > 0)) {
            throw new IllegalArgumentException("stableInfeasibility must be > 0, got " + stableInfeasibility);
        }
    }

    public BurerMonteiroOptions withSeed(long value) {
        return new BurerMonteiroOptions(maxIterations, beta, dualStepThreshold, tolerance, labelCheckEvery,
                stableChecks, stableInfeasibility, value);
    }

    public BurerMonteiroOptions withTolerance(double value) {
        return new BurerMonteiroOptions(maxIterations, beta, dualStepThreshold, value, labelCheckEvery, stableChecks,
                stableInfeasibility, seed);
    }

    public BurerMonteiroOptions withMaxIterations(int value) {
        return new BurerMonteiroOptions(value, beta, dualStepThreshold, tolerance, labelCheckEvery, stableChecks,
                stableInfeasibility, seed);
    }
}
