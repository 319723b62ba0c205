package io.mixspark.data;

import io.mixspark.util.Ids;

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
        return Ids.parse(id, values(), BlockStorage::id, "block storage");
    }
}
