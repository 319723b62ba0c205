package io.mixspark.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * What one pass over the input learns, as a monoid ({@link #add}, {@link #merge}): row counts,
 * malformed records by kind, and per feature the count of missing or infinite values and the range
 * of the others; per text column, how many values read as numbers and how many do not.
 *
 * <p>It reads rows of {@code (malformed kind, refused, skipped, feature values, text kinds...)},
 * one flat array of features per row, so a table of many thousand columns costs one loop per row
 * rather than thousands of aggregate expressions.
 */
final class InputStats implements Serializable {

    /** Malformed kinds: none, a line the reader could not parse, a named text feature that is no number, a bad vector. */
    static final int WELL_FORMED = 0;
    static final int CORRUPT_LINE = 1;
    static final int TEXT_NOT_A_NUMBER = 2;
    static final int BAD_VECTOR = 3;

    /** Text-column value kinds. */
    static final int TEXT_NULL = 0;
    static final int TEXT_NUMBER = 1;
    static final int TEXT_WORDS = 2;

    long rows;
    final long[] malformed = new long[4];
    long refused;
    long skipped;
    final long[] invalid;
    final double[] min;
    final double[] max;
    final long[] numbers;
    final long[] texts;

    InputStats(int d, int textColumns) {
        invalid = new long[d];
        min = new double[d];
        max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        numbers = new long[textColumns];
        texts = new long[textColumns];
    }

    InputStats add(Row row) {
        rows++;
        int kind = row.getInt(0);
        if (kind != WELL_FORMED) {
            malformed[kind]++;
            return this;
        }
        refused += row.getBoolean(1) ? 1 : 0;
        skipped += row.getBoolean(2) ? 1 : 0;
        List<Object> values = row.getList(3);
        for (int a = 0; a < invalid.length; a++) {
            Object v = values.get(a);
            double x = v == null ? Double.NaN : (Double) v;
            if (!Double.isFinite(x)) {
                invalid[a]++;
            } else {
                min[a] = Math.min(min[a], x);
                max[a] = Math.max(max[a], x);
            }
        }
        for (int t = 0; t < numbers.length; t++) {
            int textKind = row.getInt(4 + t);
            if (textKind == TEXT_NUMBER) {
                numbers[t]++;
            } else if (textKind == TEXT_WORDS) {
                texts[t]++;
            }
        }
        return this;
    }

    InputStats merge(InputStats other) {
        rows += other.rows;
        for (int m = 0; m < malformed.length; m++) {
            malformed[m] += other.malformed[m];
        }
        refused += other.refused;
        skipped += other.skipped;
        for (int a = 0; a < invalid.length; a++) {
            invalid[a] += other.invalid[a];
            min[a] = Math.min(min[a], other.min[a]);
            max[a] = Math.max(max[a], other.max[a]);
        }
        for (int t = 0; t < numbers.length; t++) {
            numbers[t] += other.numbers[t];
            texts[t] += other.texts[t];
        }
        return this;
    }

    long malformedRows() {
        return Arrays.stream(malformed).sum();
    }

    long wellFormedRows() {
        return rows - malformedRows();
    }

    /** The largest magnitude of a finite value of feature {@code a}, 0 if it has none. */
    double maxAbs(int a) {
        return min[a] > max[a] ? 0 : Math.max(Math.abs(min[a]), Math.abs(max[a]));
    }

    /** Whether feature {@code a} has no missing or infinite value and a single value throughout. */
    boolean constant(int a) {
        return invalid[a] == 0 && min[a] == max[a];
    }
}
