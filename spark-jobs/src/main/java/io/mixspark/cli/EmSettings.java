package io.mixspark.cli;

import io.mixspark.data.BlockStorage;
import io.mixspark.em.EmOptions;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.spark.BlockPacker;
import picocli.CommandLine.Option;

/** EM settings shared by {@code fit} and {@code select}. */
public final class EmSettings {

    @Option(names = "--max-iter", paramLabel = "N", description = "EM iterations at most (default: ${DEFAULT-VALUE}).")
    int maxIter = EmOptions.DEFAULT_MAX_ITER;

    @Option(names = "--tol", paramLabel = "X",
            description = "Stop when the mean log-likelihood per row changes by less (default: ${DEFAULT-VALUE}).")
    double tol = EmOptions.DEFAULT_TOL;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "MODE",
            description = "auto, kmeans++, kmeans|| (or kmeans-parallel), random, or sdp (the k-means SDP on a"
                    + " sample) (default: ${DEFAULT-VALUE}).")
    String init = InitMode.AUTO.id();

    @Option(names = "--n-init", paramLabel = "N", description = "Restarts; the best wins (default: ${DEFAULT-VALUE}).")
    int nInit = 1;

    @Option(names = "--reg-covar", paramLabel = "X",
            description = "Added to every variance in the M-step (default: ${DEFAULT-VALUE}).")
    double regCovar = EmOptions.DEFAULT_REG_COVAR;

    @Option(names = "--kernel", paramLabel = "NAME",
            description = "Likelihood kernel: auto, java, or a native backend (default: ${DEFAULT-VALUE}).")
    String kernel = Kernels.AUTO;

    @Option(names = "--block-size", paramLabel = "ROWS",
            description = "Rows per cached block (default: ${DEFAULT-VALUE}).")
    int blockSize = BlockPacker.DEFAULT_BLOCK_ROWS;

    @Option(names = "--storage", paramLabel = "TYPE",
            description = "Cached values in double, or float (half the memory; each value kept as a float offset"
                    + " from its block's column mean) (default: ${DEFAULT-VALUE}).")
    String storage = BlockStorage.DOUBLE.id();

    /** The EM options for k components of a type; throws IllegalArgumentException on bad values. */
    EmOptions options(int k, CovarianceType type) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be >= 1, got " + blockSize);
        }
        blockStorage();
        InitMode mode = InitMode.parse(init);
        if (mode == InitMode.MODEL) {
            throw new IllegalArgumentException("--init model is spelt --init-model PATH");
        }
        Kernels.named(kernel);
        return EmOptions.builder(k, type).maxIter(maxIter).tol(tol).seed(seed).initMode(mode).nInit(nInit)
                .regCovar(regCovar).kernel(kernel).build();
    }

    /** The parsed {@code --storage}; throws IllegalArgumentException on an unknown name. */
    BlockStorage blockStorage() {
        return BlockStorage.parse(storage);
    }
}
