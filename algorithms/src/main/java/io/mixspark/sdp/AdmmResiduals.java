package io.mixspark.sdp;

/**
 * The second-block and dual updates shared by the ADMM solvers of {@link KMeansSdp} and
 * {@link CoupledBlockSdp}, with the residual sums of Boyd et al. (FnT ML 3(1), 2011, section 3.3)
 * on the splitting X = Y (PSD), X = W (nonnegative): accumulate over every block, then read the
 * relative primal and dual residuals, and rebalance the penalty (section 3.4.1).
 */
final class AdmmResiduals {

    private static final double BALANCE_RATIO = 10;
    private static final double PENALTY_FACTOR = 2;

    private double primal2;
    private double dual2;
    private double x2;
    private double yw2;
    private double scaledDual2;

    /**
     * With Y already projected (yPrevious its last value): W = max(X + U2, 0), U1 += X - Y,
     * U2 += X - W, and the residual sums of this block.
     */
    void update(double[] x, double[] y, double[] yPrevious, double[] w, double[] u1, double[] u2) {
        for (int i = 0; i < x.length; i++) {
            double wi = Math.max(x[i] + u2[i], 0);
            double change = (y[i] - yPrevious[i]) + (wi - w[i]);
            w[i] = wi;
            double dy = x[i] - y[i];
            double dw = x[i] - wi;
            u1[i] += dy;
            u2[i] += dw;
            primal2 += dy * dy + dw * dw;
            dual2 += change * change;
            x2 += x[i] * x[i];
            yw2 += y[i] * y[i] + wi * wi;
            double us = u1[i] + u2[i];
            scaledDual2 += us * us;
        }
    }

    /** r / max(sqrt 2 ||X||_F, ||(Y, W)||_F). */
    double primal() {
        return Math.sqrt(primal2) / Math.max(Math.max(Math.sqrt(2 * x2), Math.sqrt(yw2)), Double.MIN_NORMAL);
    }

    /** s / max(||C||_F, rho ||U_1 + U_2||_F). */
    double dual(double rho, double costNorm) {
        return rho * Math.sqrt(dual2) / Math.max(Math.max(costNorm, rho * Math.sqrt(scaledDual2)), Double.MIN_NORMAL);
    }

    /** The factor to multiply rho by (and divide the scaled duals by): 2, 1/2 or 1. */
    static double penaltyFactor(double primal, double dual) {
        if (primal > BALANCE_RATIO * dual) {
            return PENALTY_FACTOR;
        }
        return dual > BALANCE_RATIO * primal ? 1 / PENALTY_FACTOR : 1;
    }
}
