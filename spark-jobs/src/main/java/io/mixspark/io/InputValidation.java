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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * One pass over the input before a fit: rows whose features are missing, NaN or infinite,
 * malformed CSV lines, numeric columns with stray text, constant columns and extreme magnitudes.
 * Errors say where: the column, the file and the line (or row) of the first bad record.
 */
public final class InputValidation {

    /** Values beyond this magnitude risk losing precision in squared distances. */
    static final double HUGE = 1e8;

    private InputValidation() {
    }

    /** What to do with rows whose features are missing, NaN or infinite. */
    public enum InvalidRows { ERROR, SKIP }

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
    public static Result check(Dataset<Row> table, List<String> features, List<String> textColumns, InvalidRows mode,
                               InputTable.Source source) {
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)));
        aggregates.add(sum(when(anyInvalid(features), 1).otherwise(0)));
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
        long corrupt = stats.getLong(2);
        if (corrupt > 0) {
            Located first = locate(table, malformed, source);
            throw new IllegalArgumentException(source.path() + ": " + corrupt + " malformed line(s); the first is "
                    + first.where() + " ('" + first.row().getAs(InputTable.CORRUPT_RECORD) + "'), which has another number of values than"
                    + " the header or a value of the wrong type");
        }
        List<String> warnings = new ArrayList<>();
        int index = 3;
        for (String f : features) {
            long bad = stats.isNullAt(index) ? 0 : stats.getLong(index);
            double sd = stats.isNullAt(index + 1) ? Double.NaN : stats.getDouble(index + 1);
            double big = stats.isNullAt(index + 2) ? 0 : stats.getDouble(index + 2);
            if (bad == 0 && sd == 0 && rows > 1) {
                warnings.add("column '" + f + "' is constant; it carries no information (leave it out with --features)");
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
        long invalidRows = stats.getLong(1);
        if (invalidRows == 0) {
            return new Result(table, rows, 0, warnings);
        }
        if (mode == InvalidRows.SKIP) {
            warnings.add(invalidRows + " of " + rows + " rows have missing, NaN or infinite features and were skipped");
            return new Result(table.where(anyInvalid(features).unary_$bang()), rows - invalidRows, invalidRows,
                    warnings);
        }
        Located first = locate(table, anyInvalid(features), source);
        String column = features.stream().filter(f -> {
            Object v = first.row().getAs(f);
            return v == null || !Double.isFinite(((Number) v).doubleValue());
        }).findFirst().orElse(features.get(0));
        throw new IllegalArgumentException(source.path() + ": column '" + column + "' is "
                + describe(first.row().getAs(column)) + " at " + first.where() + " (" + invalidRows
                + " such rows in all); fix the data or pass --invalid skip to leave such rows out");
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
        Column v = col(feature).cast(DataTypes.DoubleType);
        return v.isNull().or(isnan(v)).or(v.equalTo(Double.POSITIVE_INFINITY))
                .or(v.equalTo(Double.NEGATIVE_INFINITY));
    }

    private static Column anyInvalid(List<String> features) {
        Column any = lit(false);
        for (String f : features) {
            any = any.or(invalid(f));
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
