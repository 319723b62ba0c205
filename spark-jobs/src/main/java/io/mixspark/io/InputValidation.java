package io.mixspark.io;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mixspark.data.MissingValueMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * One pass over the input before a fit: rows whose features are missing, NaN or infinite (refused
 * or skipped, and missing values possibly kept, as {@link Rules} say), malformed CSV lines,
 * numeric columns with stray text, constant columns and extreme magnitudes. Errors say where: the
 * column, the file and the line (or row) of the first bad record.
 */
public final class InputValidation {

    /** Values beyond this magnitude risk losing precision in squared distances. */
    static final double HUGE = 1e8;
    /**
     * Magnitudes from which squared distances and scatters overflow a double once summed over
     * features and rows (1e150 squared is 1e300, next to Double.MAX_VALUE's 1.8e308).
     */
    static final double OVERFLOWING = 1e150;

    private InputValidation() {
    }

    /** What to do with rows whose features are missing, NaN or infinite. */
    public enum InvalidRows { ERROR, SKIP }

    /**
     * What to do with rows that miss feature values (null or NaN) and with rows whose features
     * are infinite. Rows kept with missing values ({@link MissingValueMode#EM}) pass with their
     * missing values as they are.
     *
     * @param missingFollowsInvalid whether no mode was given for missing values, so that one
     *                              option ({@code --invalid}) governs both, as it always has
     */
    public record Rules(InvalidRows infinite, MissingValueMode missing, boolean missingFollowsInvalid) {

        /** One mode for missing, NaN and infinite values alike. */
        public static Rules following(InvalidRows invalid) {
            return new Rules(invalid, invalid == InvalidRows.SKIP ? MissingValueMode.SKIP : MissingValueMode.ERROR,
                    true);
        }

        /** A mode of its own for missing values; {@code infinite} governs only infinite ones. */
        public static Rules apart(InvalidRows infinite, MissingValueMode missing) {
            return new Rules(infinite, missing, false);
        }

        boolean refusesMissing() {
            return missing == MissingValueMode.ERROR;
        }

        boolean refusesInfinite() {
            return infinite == InvalidRows.ERROR;
        }

        boolean skipsMissing() {
            return missing == MissingValueMode.SKIP;
        }

        boolean skipsInfinite() {
            return infinite == InvalidRows.SKIP;
        }
    }

    /**
     * @param table       the validated table (bad rows removed under {@link InvalidRows#SKIP})
     * @param skippedRows rows removed
     * @param warnings    constant columns, extreme magnitudes, ignored text columns
     */
    public record Result(Dataset<Row> table, long rows, long skippedRows, List<String> warnings) {
    }

    /**
     * @param textColumns string columns that are not features; one whose values are mostly
     *                    numbers is reported as a numeric column with stray text
     */
    public static Result check(Dataset<Row> table, List<String> features, List<String> textColumns, Rules rules,
                               InputTable.Source source) {
        Column refused = rowsWith(features, rules.refusesMissing(), rules.refusesInfinite());
        Column skipped = rowsWith(features, rules.skipsMissing(), rules.skipsInfinite());
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)));
        aggregates.add(sum(when(refused, 1).otherwise(0)));
        aggregates.add(sum(when(skipped, 1).otherwise(0)));
        Column malformed = malformed(table);
        aggregates.add(sum(when(malformed, 1).otherwise(0)));
        for (String f : features) {
            Column v = col(f).cast(DataTypes.DoubleType);
            aggregates.add(sum(when(invalid(f), 1).otherwise(0)));
            aggregates.add(stddev_pop(when(invalid(f).unary_$bang(), v)));
            aggregates.add(max(when(invalid(f).unary_$bang(), abs(v))));
        }
        for (String t : textColumns) {
            aggregates.add(sum(when(col(t).isNotNull().and(col(t).try_cast(DataTypes.DoubleType).isNotNull()), 1)
                    .otherwise(0)));
            aggregates.add(sum(when(col(t).isNotNull().and(col(t).try_cast(DataTypes.DoubleType).isNull()), 1)
                    .otherwise(0)));
        }
        Row stats = table.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .first();
        long rows = stats.getLong(0);
        if (rows == 0) {
            throw new IllegalArgumentException("input " + source.path() + " has no rows");
        }
        long corrupt = stats.getLong(3);
        if (corrupt > 0) {
            Located first = locate(table, malformed, source);
            throw new IllegalArgumentException(source.path() + ": " + corrupt + " malformed line(s); the first is "
                    + first.where() + " ('" + first.row().getAs(InputTable.CORRUPT_RECORD) + "'), which has another number of values than"
                    + " the header or a value of the wrong type");
        }
        List<String> warnings = new ArrayList<>();
        int index = 4;
        for (String f : features) {
            long bad = stats.isNullAt(index) ? 0 : stats.getLong(index);
            double sd = stats.isNullAt(index + 1) ? Double.NaN : stats.getDouble(index + 1);
            double big = stats.isNullAt(index + 2) ? 0 : stats.getDouble(index + 2);
            if (bad == 0 && sd == 0 && rows > 1) {
                warnings.add("column '" + f + "' is constant; it carries no information (leave it out with --features)");
            }
            if (big > OVERFLOWING) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: column '%s' has values up to %.3g"
                        + " in magnitude, whose squares overflow; rescale it (for example divide it by 1e100, or"
                        + " standardise it)", source.path(), f, big));
            }
            if (big > HUGE) {
                warnings.add(String.format(Locale.ROOT, "column '%s' has values up to %.3g in magnitude; rescale it"
                        + " (for example standardise it) to keep the covariances well conditioned", f, big));
            }
            index += 3;
        }
        for (String t : textColumns) {
            long numeric = stats.getLong(index);
            long text = stats.getLong(index + 1);
            if (numeric > 0 && text > 0) {
                Located first = locate(table, col(t).isNotNull().and(col(t).try_cast(DataTypes.DoubleType).isNull()),
                        source);
                throw new IllegalArgumentException(source.path() + ": column '" + t + "' holds numbers and text; the"
                        + " first text value is '" + first.row().getAs(t) + "' at " + first.where()
                        + "; fix it, or name the features with --features");
            }
            if (text > 0) {
                warnings.add("column '" + t + "' holds text and is not used as a feature");
            }
            index += 2;
        }
        long refusedRows = stats.getLong(1);
        if (refusedRows > 0) {
            throw refusal(table, features, rules, refused, refusedRows, source);
        }
        long skippedRows = stats.getLong(2);
        if (skippedRows == 0) {
            return new Result(table, rows, 0, warnings);
        }
        warnings.add(skippedRows + " of " + rows + " rows have " + skippedKinds(rules)
                + " features and were skipped");
        return new Result(table.where(skipped.unary_$bang()), rows - skippedRows, skippedRows, warnings);
    }

    /** The error for the first refused row: its file, line and column, and how to get past it. */
    private static IllegalArgumentException refusal(Dataset<Row> table, List<String> features, Rules rules,
                                                    Column refused, long refusedRows, InputTable.Source source) {
        Located first = locate(table, refused, source);
        String column = features.stream().filter(f -> {
            Object v = first.row().getAs(f);
            double x = v == null ? Double.NaN : ((Number) v).doubleValue();
            return Double.isNaN(x) ? rules.refusesMissing() : Double.isInfinite(x) && rules.refusesInfinite();
        }).findFirst().orElse(features.get(0));
        Object value = first.row().getAs(column);
        boolean missingValue = value == null || Double.isNaN(((Number) value).doubleValue());
        String remedy = missingValue && !rules.missingFollowsInvalid()
                ? "pass --missing skip to leave such rows out, or --missing em to keep them"
                : "pass --invalid skip to leave such rows out";
        return new IllegalArgumentException(source.path() + ": column '" + column + "' is " + describe(value) + " at "
                + first.where() + " (" + refusedRows + " such rows in all); fix the data or " + remedy);
    }

    /** What the skipped rows had, as the warning says it. */
    private static String skippedKinds(Rules rules) {
        if (rules.skipsMissing() && rules.skipsInfinite()) {
            return "missing, NaN or infinite";
        }
        return rules.skipsMissing() ? "missing or NaN" : "infinite";
    }

    /** CSV lines the reader flagged: a value of the wrong type, or another number of values than the header. */
    private static Column malformed(Dataset<Row> table) {
        return List.of(table.columns()).contains(InputTable.CORRUPT_RECORD)
                ? col(InputTable.CORRUPT_RECORD).isNotNull() : lit(false);
    }

    private static String describe(Object value) {
        return value == null ? "missing" : String.valueOf(value);
    }

    static Column invalid(String feature) {
        return missing(feature).or(infinite(feature));
    }

    /** Null (an empty cell, say) or NaN. */
    private static Column missing(String feature) {
        Column v = col(feature).cast(DataTypes.DoubleType);
        return v.isNull().or(isnan(v));
    }

    private static Column infinite(String feature) {
        Column v = col(feature).cast(DataTypes.DoubleType);
        return v.equalTo(Double.POSITIVE_INFINITY).or(v.equalTo(Double.NEGATIVE_INFINITY));
    }

    /** Rows with a missing feature value (if {@code missing}) or an infinite one (if {@code infinite}). */
    private static Column rowsWith(List<String> features, boolean missing, boolean infinite) {
        Column any = lit(false);
        for (String f : features) {
            if (missing) {
                any = any.or(missing(f));
            }
            if (infinite) {
                any = any.or(infinite(f));
            }
        }
        return any;
    }

    /** The first row matching a condition, with its file and its line (text formats) or row. */
    private record Located(Row row, String where) {
    }

    private static Located locate(Dataset<Row> table, Column condition, InputTable.Source source) {
        Row first = table.withColumn("__mixspark_file", input_file_name()).where(condition).first();
        String file = first.getString(first.fieldIndex("__mixspark_file"));
        if (file == null || file.isEmpty()) {
            return new Located(first, "a row of " + source.path());
        }
        long index = rowIndexInFile(SparkSession.active(), file, source, condition);
        String where = index < 0 ? "a row of file " + file
                : source.textLines() ? "line " + (index + source.headerLines() + 1) + " of file " + file
                : "row " + (index + 1) + " of file " + file;
        return new Located(first, where);
    }

    /** 0-based position of the first matching record within one file, read alone and in order. */
    private static long rowIndexInFile(SparkSession spark, String file, InputTable.Source source, Column condition) {
        Dataset<Row> alone = InputTable.read(spark, file, source);
        int flag = alone.columns().length;
        List<scala.Tuple2<Row, Long>> first = alone.withColumn("__mixspark_match", condition).toJavaRDD()
                .zipWithIndex().filter(pair -> !pair._1().isNullAt(flag) && pair._1().getBoolean(flag)).take(1);
        return first.isEmpty() ? -1 : first.get(0)._2();
    }
}
