package io.mixspark.federated;

import java.io.Serializable;

/**
 * Privacy accounting in zero-concentrated differential privacy (Bun &amp; Steinke, "Concentrated
 * Differential Privacy: Simplifications, Extensions, and Lower Bounds", TCC 2016):
 * <ul>
 *   <li>the Gaussian mechanism with L2 sensitivity Delta and noise N(0, sigma^2) per coordinate
 *       is rho-zCDP with rho = Delta^2 / (2 sigma^2) (their Proposition 1.6);</li>
 *   <li>rho adds up over releases and rounds (Lemma 2.3);</li>
 *   <li>rho-zCDP implies (epsilon, delta)-DP with epsilon = rho + 2 sqrt(rho ln(1/delta))
 *       (Proposition 1.3).</li>
 * </ul>
 * Calibration inverts the conversion: sqrt(rho) = sqrt(L + epsilon) - sqrt(L) with L = ln(1/delta).
 * An accountant instance is a running total; the static methods are the closed forms.
 */
public final class ZcdpAccountant implements Serializable {

    private static final long serialVersionUID = 1L;

    private double rho;
    private int releases;

    /** rho of one Gaussian release: Delta^2 / (2 sigma^2); +infinity when sigma is 0. */
    public static double rhoOfRelease(double sensitivity, double sigma) {
        if (!(sensitivity >= 0) || Double.isInfinite(sensitivity)) {
            throw new IllegalArgumentException("sensitivity must be a finite number >= 0, got " + sensitivity);
        }
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
        }
        if (sensitivity == 0) {
            return 0;
        }
        return sigma == 0 ? Double.POSITIVE_INFINITY : sensitivity * sensitivity / (2 * sigma * sigma);
    }

    /** The epsilon of rho-zCDP at this delta: rho + 2 sqrt(rho ln(1/delta)). */
    public static double epsilon(double rho, double delta) {
        requireDelta(delta);
        if (!(rho >= 0)) {
            throw new IllegalArgumentException("rho must be >= 0, got " + rho);
        }
        return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
    }

    /** The largest rho whose epsilon at this delta is at most {@code epsilon} (+infinity for no privacy). */
    public static double rhoFor(double epsilon, double delta) {
        requireDelta(delta);
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        if (Double.isInfinite(epsilon)) {
            return Double.POSITIVE_INFINITY;
        }
        double l = Math.log(1 / delta);
        // sqrt(L + eps) - sqrt(L), written without cancellation.
        double root = epsilon / (Math.sqrt(l + epsilon) + Math.sqrt(l));
        return root * root;
    }

    /**
     * The noise multiplier z such that {@code releases} Gaussian releases, each with noise
     * sigma = z Delta (so each costs 1 / (2 z^2)), spend exactly (epsilon, delta): z =
     * sqrt(releases / (2 rho)). Zero when epsilon is infinite.
     */
    public static double noiseMultiplier(double epsilon, double delta, int releases) {
        if (releases < 1) {
            throw new IllegalArgumentException("releases must be >= 1, got " + releases);
        }
        double rho = rhoFor(epsilon, delta);
        return Double.isInfinite(rho) ? 0 : Math.sqrt(releases / (2 * rho));
    }

    /** Records one Gaussian release. */
    public void release(double sensitivity, double sigma) {
        rho += rhoOfRelease(sensitivity, sigma);
        releases++;
    }

    /** Total rho spent so far. */
    public double rho() {
        return rho;
    }

    /** Number of releases recorded. */
    public int releases() {
        return releases;
    }

    /** The epsilon spent so far at this delta. */
    public double epsilon(double delta) {
        return epsilon(rho, delta);
    }

    private static void requireDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
    }
}
