package io.mixspark.cli;

import io.mixspark.em.EmOptions;
import io.mixspark.gmm.CovarianceShrinkage;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How each EM step computes: the M-step's variance floor (or, for fit and select, {@code auto}:
 * covariance shrinkage chosen from the data), the likelihood kernel and the cached block size.
 * Shared by fit, select, federated and stream.
 */
public final class EmStepOptions {

    /** The {@code --reg-covar} value that asks for OAS shrinkage instead of a fixed ridge alone. */
    static final String AUTO = "auto";

    @Option(names = "--reg-covar", paramLabel = "X",
            description = "Added to every variance in the M-step; or auto: shrink each full (VVV) or tied (EEE)"
                    + " covariance towards a multiple of the identity by an amount chosen from the data (Oracle"
                    + " Approximating Shrinkage), then add the default (default: ${DEFAULT-VALUE}).")
    String regCovar = String.valueOf(EmOptions.DEFAULT_REG_COVAR);

    @Mixin
    KernelOptions kernel;

    String kernel() {
        return kernel.kernel();
    }

    int blockSize() {
        return kernel.blockSize;
    }

    /** Whether {@code --reg-covar auto} was given. */
    boolean auto() {
        return regCovar.trim().toLowerCase(Locale.ROOT).equals(AUTO);
    }

    /** OAS under {@code --reg-covar auto}, else none. */
    CovarianceShrinkage shrinkage() {
        return auto() ? CovarianceShrinkage.OAS : CovarianceShrinkage.NONE;
    }

    /**
     * The ridge: the number given, or the default under {@code auto}. The EM options check its
     * range.
     *
     * @throws IllegalArgumentException if the value is neither a number nor auto
     */
    double regCovar() {
        if (auto()) {
            return EmOptions.DEFAULT_REG_COVAR;
        }
        try {
            return Double.parseDouble(regCovar.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--reg-covar must be a number >= 0 or auto, got '" + regCovar + "'");
        }
    }

    /**
     * The ridge of a command whose M-step takes no shrinkage.
     *
     * @throws IllegalArgumentException under {@code auto}, saying where it applies
     */
    double ridgeOnly(String command, String why) {
        if (auto()) {
            throw new IllegalArgumentException("--reg-covar auto applies to fit and select (batch EM); " + command
                    + " takes a number: " + why);
        }
        return regCovar();
    }

    /** Throws IllegalArgumentException for a bad block size, kernel or --reg-covar; the EM options check its range. */
    void validate() {
        kernel.validate();
        regCovar();
    }
}
