package io.mixspark.util;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parsing of the short names (ids) that options and params use for enum values. */
public final class Ids {

    private Ids() {
    }

    /** The ids of every value, in declaration order. */
    public static <E> String[] all(E[] values, Function<E, String> id) {
        return Arrays.stream(values).map(id).toArray(String[]::new);
    }

    /**
     * The value whose id is {@code text}, ignoring case and surrounding blanks.
     *
     * @param what the option's name in the error, as in "solver must be one of dense, sketch, got 'x'"
     */
    public static <E> E parse(String text, E[] values, Function<E, String> id, String what) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (E value : values) {
            if (id.apply(value).equals(t)) {
                return value;
            }
        }
        throw new IllegalArgumentException(what + " must be one of "
                + Arrays.stream(values).map(id).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }
}
