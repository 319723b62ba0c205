package io.mixspark.cli;

import io.mixspark.em.EmOptions;
import picocli.CommandLine.Option;

/**
 * The EM iterations and restarts of every site's local fit in {@code federated}. They were
 * spelt {@code --max-iter} and {@code --n-init}, which in {@code fit} mean the whole fit; those
 * spellings are still accepted for one release, hidden from the help, with a warning.
 */
public final class LocalEmOptions {

    @Option(names = "--local-max-iter", paramLabel = "N",
            description = "EM iterations of a local fit (default: " + EmOptions.DEFAULT_MAX_ITER + ").")
    Integer maxIter;

    @Option(names = "--local-n-init", paramLabel = "N", description = "Restarts of a local fit (default: 1).")
    Integer nInit;

    @Option(names = "--max-iter", paramLabel = "N", hidden = true, description = "Deprecated: --local-max-iter.")
    Integer deprecatedMaxIter;

    @Option(names = "--n-init", paramLabel = "N", hidden = true, description = "Deprecated: --local-n-init.")
    Integer deprecatedNInit;

    /** Checks the values and warns about the old spellings; IllegalArgumentException when wrong. */
    void validate() {
        chosen(maxIter, deprecatedMaxIter, "--local-max-iter", "--max-iter");
        chosen(nInit, deprecatedNInit, "--local-n-init", "--n-init");
    }

    /** EM iterations of every local fit. */
    int maxIter() {
        Integer v = chosen(maxIter, deprecatedMaxIter, "--local-max-iter", "--max-iter");
        return v == null ? EmOptions.DEFAULT_MAX_ITER : v;
    }

    /** Restarts of every local fit. */
    int nInit() {
        Integer v = chosen(nInit, deprecatedNInit, "--local-n-init", "--n-init");
        return v == null ? 1 : v;
    }

    private static Integer chosen(Integer current, Integer deprecated, String name, String oldName) {
        if (current != null && deprecated != null) {
            throw new IllegalArgumentException("give " + name + " or its deprecated spelling " + oldName + ", not both");
        }
        Integer value = current != null ? current : deprecated;
        String given = current != null ? name : oldName;
        if (value != null && value < 1) {
            throw new IllegalArgumentException(given + " must be >= 1, got " + value);
        }
        return value;
    }

    /** Once, after parsing; on standard output, like the command line's other warnings (docs/ERRORS.md). */
    void warnAboutOldSpellings() {
        if (deprecatedMaxIter != null) {
            System.out.println("warning: --max-iter is deprecated for federated; use --local-max-iter");
        }
        if (deprecatedNInit != null) {
            System.out.println("warning: --n-init is deprecated for federated; use --local-n-init");
        }
    }
}
