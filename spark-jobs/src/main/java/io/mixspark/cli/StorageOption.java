package io.mixspark.cli;

import io.mixspark.data.BlockStorage;
import picocli.CommandLine.Option;

/** {@code --storage}: how cached blocks hold their values. */
public final class StorageOption {

    @Option(names = "--storage", paramLabel = "TYPE",
            description = "Cached values in double, or float (half the memory; each value kept as a float offset"
                    + " from its block's column mean) (default: ${DEFAULT-VALUE}).")
    String storage = BlockStorage.DOUBLE.id();

    /** The parsed value; throws IllegalArgumentException on an unknown name. */
    BlockStorage blockStorage() {
        return BlockStorage.parse(storage);
    }
}
