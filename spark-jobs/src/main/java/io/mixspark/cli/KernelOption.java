package io.mixspark.cli;

import io.mixspark.gmm.Kernels;
import picocli.CommandLine.Option;

/** {@code --kernel}: the likelihood backend, for every command that scores rows. */
public final class KernelOption {

    @Option(names = "--kernel", paramLabel = "NAME",
            description = "Likelihood kernel: auto, java, or a native backend (default: ${DEFAULT-VALUE}).")
    String kernel = Kernels.AUTO;

    /** Throws IllegalArgumentException naming the available kernels when this one is not. */
    void validate() {
        Kernels.named(kernel);
    }
}
