package io.mixspark.data;

import java.util.Locale;

/** How cached blocks hold their values: 8 bytes a value, or 4 (see {@link FloatBlock}). */
public enum BlockStorage {
    DOUBLE("double"),
    FLOAT("float");

    private final String id;

    BlockStorage(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static BlockStorage parse(String id) {
        for (BlockStorage s : values()) {
            if (s.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("block storage must be double or float, got '" + id + "'");
    }
}
