package io.mixspark.cli;

import java.util.function.Supplier;
import picocli.CommandLine;

/** Turns a bad option value into a usage error (exit code 2) with its message. */
final class Validation {

    private Validation() {
    }

    static <T> T usage(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** An option value is out of range or malformed. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Keeps picocli's own usage errors on exit code 2 as well. */
    static boolean isUsage(Throwable t) {
        return t instanceof UsageException || t instanceof CommandLine.ParameterException;
    }
}
