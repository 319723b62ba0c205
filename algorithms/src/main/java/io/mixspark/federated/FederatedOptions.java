package io.mixspark.federated;

import io.mixspark.em.EmOptions;
import io.mixspark.gmm.Kernels;
import java.io.Serializable;

/**
 * Settings of the round-based federated algorithms ({@link FederatedEm}, {@link PersonalizedEm},
 * {@link PrivateFederatedEm}). The covariance type is the starting mixture's.
 *
 * @param maxRounds rounds at most, >= 1 (the private variant runs exactly this many)
 * @param tol       stop when the mean log-likelihood per row changes by less, >= 0 (ignored by
 *                  the private variant, whose stopping must not depend on the data)
 * @param regCovar  ridge added to every variance in the M-step, >= 0
 * @param kernel    likelihood kernel name used at the sites
 */
public record FederatedOptions(int maxRounds, double tol, double regCovar, String kernel) implements Serializable {

    public FederatedOptions {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("maxRounds must be >= 1, got " + maxRounds);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new IllegalArgumentException("tol must be a finite number >= 0, got " + tol);
        }
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + regCovar);
        }
        if (kernel == null || kernel.isBlank()) {
            throw new IllegalArgumentException("kernel name is required");
        }
    }

    /** EM's defaults: 100 rounds, tol 1e-3, regCovar 1e-6, the fastest kernel. */
    public static FederatedOptions defaults() {
        return new FederatedOptions(EmOptions.DEFAULT_MAX_ITER, EmOptions.DEFAULT_TOL, EmOptions.DEFAULT_REG_COVAR,
                Kernels.AUTO);
    }

    /** The settings of a centralised EM fit, so that both run the same iterations. */
    public static FederatedOptions from(EmOptions options) {
        return new FederatedOptions(options.maxIter(), options.tol(), options.regCovar(), options.kernel());
    }

    public FederatedOptions withMaxRounds(int value) {
        return new FederatedOptions(value, tol, regCovar, kernel);
    }

    public FederatedOptions withTol(double value) {
        return new FederatedOptions(maxRounds, value, regCovar, kernel);
    }

    public FederatedOptions withKernel(String value) {
        return new FederatedOptions(maxRounds, tol, regCovar, value);
    }
}
