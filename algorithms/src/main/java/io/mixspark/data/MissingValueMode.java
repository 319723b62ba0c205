package io.mixspark.data;

import io.mixspark.util.Ids;

/**
 * What a job does with a row that has missing feature values (NaN, or null in a table): stop
 * with an error, leave the row out, or keep it with its missing values as NaN, which EM and
 * scoring handle on the row's observed values (missing at random; see {@code gmm.MissingValues}).
 */
public enum MissingValueMode {
    ERROR("error"),
    SKIP("skip"),
    EM("em");

    private final String id;

    MissingValueMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static MissingValueMode parse(String id) {
        return Ids.parse(id, values(), MissingValueMode::id, "missing-value mode");
    }
}
