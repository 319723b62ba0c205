package io.mixspark.gmm;

import java.io.Serializable;

/**
 * A kernel as a pass carries it to the executors: its pass name ({@link Kernels#passName}), which
 * may end in {@value Kernels#FLOAT_SUFFIX}. Each JVM looks the kernel up the first time it is
 * needed, so every pass resolves names, precision and failures the same way.
 */
public final class KernelRef implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String passName;
    private transient LikelihoodKernel kernel;

    public KernelRef(String passName) {
        this.passName = passName;
    }

    /** The kernel this JVM runs with (see {@link Kernels#namedOrFail}). */
    public LikelihoodKernel get() {
        LikelihoodKernel k = kernel;
        if (k == null) {
            k = Kernels.namedOrFail(passName);
            kernel = k;
        }
        return k;
    }

    /** The name of the kernel this JVM runs with, for {@code kernelUsed()}. */
    public String used() {
        return get().name();
    }

    public String passName() {
        return passName;
    }
}
