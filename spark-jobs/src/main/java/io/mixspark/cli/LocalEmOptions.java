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
            description = "EM iterations of a local fit (default: ${DEFAULT-VALUE}).")
    int maxIter = EmOptions.DEFAULT_MAX_ITER;

    @Option(names = "--local-n-init", paramLabel = "N",
            description = "Restarts of a local fit (default: ${DEFAULT-VALUE}).")
    int nInit = 1;

    @Option(names = "--max-iter", paramLabel = "N", hidden = true, description = "Deprecated: --local-max-iter.")
    void deprecatedMaxIter(int value) {
        warnDeprecated("--max-iter", "--local-max-iter");
        maxIter = value;
    }

    @Option(names = "--n-init", paramLabel = "N", hidden = true, description = "Deprecated: --local-n-init.")
    void deprecatedNInit(int value) {
        warnDeprecated("--n-init", "--local-n-init");
        nInit = value;
    }

    /** On standard output, like the command line's other warnings (docs/ERRORS.md). */
    private static void warnDeprecated(String old, String replacement) {
        System.out.println("warning: " + old + " is deprecated for federated; use " + replacement);
    }
}
