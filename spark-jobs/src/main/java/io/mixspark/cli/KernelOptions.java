package io.mixspark.cli;

import io.mixspark.spark.BlockPacker;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The likelihood kernel and the rows per cached block, for every command that packs rows and scores them. */
public final class KernelOptions {

    @Mixin
    KernelOption kernelOption;

    @Option(names = "--block-size", paramLabel = "ROWS",
            description = "Rows per cached block (default: ${DEFAULT-VALUE}).")
    int blockSize = BlockPacker.DEFAULT_BLOCK_ROWS;

    /** Throws IllegalArgumentException for a block size below 1 or a kernel that is not available. */
    void validate() {
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be >= 1, got " + blockSize);
        }
        kernelOption.validate();
    }

    String kernel() {
        return kernelOption.kernel;
    }
}
