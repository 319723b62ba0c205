package io.mixspark.gmm;

/**
 * A kernel asked for by name cannot run in this JVM, typically an executor that could not load
 * the native library: a deployment problem, reported instead of running another kernel.
 */
public final class KernelUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public KernelUnavailableException(String message) {
        super(message);
    }
}
