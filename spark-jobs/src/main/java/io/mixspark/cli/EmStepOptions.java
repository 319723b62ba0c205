package io.mixspark.cli;

import io.mixspark.em.EmOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How each EM step computes: the M-step's variance floor, the likelihood kernel and the cached
 * block size. Shared by fit, select and federated.
 */
public final class EmStepOptions {

    @Option(names = "--reg-covar", paramLabel = "X",
            description = "Added to every variance in the M-step (default: ${DEFAULT-VALUE}).")
    double regCovar = EmOptions.DEFAULT_REG_COVAR;

    @Mixin
    KernelOptions kernel;

    String kernel() {
        return kernel.kernel();
    }

    int blockSize() {
        return kernel.blockSize;
    }

    /** Throws IllegalArgumentException for a bad block size or kernel; the EM options check --reg-covar. */
    void validate() {
        kernel.validate();
    }
}
