package io.mixspark.cli;

import io.mixspark.em.EmOptions;
import picocli.CommandLine.Option;

/** When EM stops, and the seed of its random choices: shared by fit, select and federated. */
public final class EmToleranceAndSeed {

    @Option(names = "--tol", paramLabel = "X",
            description = "Stop when the mean log-likelihood per row changes by less (default: ${DEFAULT-VALUE}).")
    double tol = EmOptions.DEFAULT_TOL;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;
}
