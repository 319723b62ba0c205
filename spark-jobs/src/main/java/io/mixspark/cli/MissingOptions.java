package io.mixspark.cli;

import io.mixspark.data.BlockStorage;
import io.mixspark.data.MissingValueMode;
import io.mixspark.io.InputValidation;
import picocli.CommandLine.Option;

/**
 * {@code --missing}: what fit, select and predict do with missing feature values. Unset, they
 * follow {@code --invalid} as they always have; set, {@code --invalid} governs only infinite values.
 */
public final class MissingOptions {

    @Option(names = "--missing", paramLabel = "MODE",
            description = "Missing feature values (empty, null or NaN): error, skip (leave the row out), or em (keep"
                    + " the row; fit and score it on its observed values) (default: as --invalid, which then covers"
                    + " only infinite values).")
    String missing;

    /**
     * The mode given, or null when missing values follow {@code --invalid}; throws
     * IllegalArgumentException on a bad name.
     */
    MissingValueMode mode() {
        return missing == null ? null : MissingValueMode.parse(missing);
    }

    /** Whether rows keep their missing values, for EM and scoring. */
    boolean em() {
        return mode() == MissingValueMode.EM;
    }

    /** What the blocks do with a NaN: by the time rows are packed, only {@code em} leaves any. */
    MissingValueMode forBlocks() {
        return em() ? MissingValueMode.EM : MissingValueMode.ERROR;
    }

    InputValidation.Rules rules(InputValidation.InvalidRows invalid) {
        MissingValueMode mode = mode();
        return mode == null ? InputValidation.Rules.following(invalid) : InputValidation.Rules.apart(invalid, mode);
    }

    /** Throws IllegalArgumentException on a bad mode. */
    void validate() {
        mode();
    }

    /** Throws IllegalArgumentException on a bad mode, or on {@code em} with blocks that cannot hold a NaN. */
    void validate(BlockStorage storage) {
        if (em() && storage == BlockStorage.FLOAT) {
            throw new IllegalArgumentException("--storage float cannot hold missing values (each value is kept as an"
                    + " offset from its block's column mean, which a missing value would spoil); use --storage double"
                    + " with --missing em");
        }
    }
}
