package io.mixspark.online;

/**
 * Incremental mini-batch EM refused because its groups' statistics would pass
 * {@link MiniBatchOptions#INCREMENTAL_MEMORY_BYTES}: fewer, larger groups (or stochastic steps) fix it,
 * so callers can tell the user which setting to change.
 */
public final class IncrementalMemoryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long groups;
    private final long bytes;

    IncrementalMemoryException(long groups, long bytes) {
        super("incremental mini-batch EM would keep " + (bytes >> 20) + " MiB of statistics for " + groups
                + " groups (at most " + (MiniBatchOptions.INCREMENTAL_MEMORY_BYTES >> 20) + " MiB); give larger"
                + " batch rows, or stochastic steps");
        this.groups = groups;
        this.bytes = bytes;
    }

    /** How many groups the batch rows cut the table into. */
    public long groups() {
        return groups;
    }

    /** The bytes their statistics would take. */
    public long bytes() {
        return bytes;
    }
}
