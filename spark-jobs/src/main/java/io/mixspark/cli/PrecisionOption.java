package io.mixspark.cli;

import io.mixspark.gmm.Precision;
import picocli.CommandLine.Option;

/** {@code --precision}: the arithmetic of the likelihood kernel's products. */
public final class PrecisionOption {

    @Option(names = "--precision", paramLabel = "TYPE",
            description = "Kernel arithmetic: double, or float (the Mahalanobis products and scatters in float,"
                    + " twice the vector lanes; log-determinants, log-sum-exp, statistics and M-step stay double)"
                    + " (default: ${DEFAULT-VALUE}).")
    String precision = Precision.DOUBLE.id();

    /** The parsed value; throws IllegalArgumentException naming the accepted values. */
    Precision parsed() {
        return Precision.of(precision);
    }
}
