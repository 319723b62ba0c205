package io.mixspark.io;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.mixspark.data.MissingValueMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * One pass over the input before a fit: rows whose features are missing, NaN or infinite (refused
 * or skipped, and missing values possibly kept, as {@link Rules} say), malformed records (CSV lines
 * that do not parse, named text features that are no number, vectors of another size; refused, or
 * skipped and counted apart under {@code --invalid skip}), numeric columns with stray text,
 * constant columns and extreme magnitudes. Errors say where: the column, the file and the line (or
 * row) of the first bad record.
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
     * The features as one array of doubles per row, built by one flat expression whatever their
     * number.
     *
     * @param array        the array (null elements for missing table values)
     * @param labels       how messages name each feature: {@code column 'x'}, {@code feature 3 of the LIBSVM vector}
     * @param textFeatures text columns named as features, whose values are read as numbers
     * @param vector       the vector column the features come from, or null for table columns
     * @param columns      the table columns the array is made of (none for a vector column, which stays)
     */
    public record Values(Column array, List<String> labels, List<String> textFeatures, String vector,
                         List<String> columns) {
        int d() {
            return labels.size();
        }
    }

    /**
     * @param table         the validated table, its features as one array in {@link #VALUES_COLUMN}
     *                      (bad rows removed under {@link InvalidRows#SKIP})
     * @param skippedRows   rows removed for missing, NaN or infinite features
     * @param malformedRows rows removed as malformed (a line that does not parse, a named text
     *                      feature that is no number, a vector of another size)
     * @param warnings      constant columns, extreme magnitudes, ignored text columns, skipped rows
     * @param textColumns   per text column that is not a feature: whether it holds numbers, text or both
     */
    public record Result(Dataset<Row> table, long rows, long skippedRows, long malformedRows, List<String> warnings,
                         Map<String, TextContent> textColumns) {
    }

    /** What a text column that is not a feature holds. */
    public enum TextContent { TEXT, NUMBERS, NUMBERS_AND_TEXT }

    /**
     * @param textColumns string columns that are not features; under {@link InvalidRows#ERROR},
     *                    one that holds numbers and text is refused as a numeric column with stray text
     */
    public static Result check(Dataset<Row> table, Values values, List<String> textColumns, Rules rules,
                               InputTable.Source source) {
        int d = values.d();
        Column kind = malformedKind(table, values);
        Column refused = kind.equalTo(InputStats.WELL_FORMED)
                .and(rowsWith(values.array(), rules.refusesMissing(), rules.refusesInfinite()));
        // The pass and what follows read a narrow table: the features as one array beside the other columns.
        List<Column> narrowColumns = new ArrayList<>();
        Set<String> folded = new HashSet<>(values.columns());
        for (String c : table.columns()) {
            if (!folded.contains(c)) {
                narrowColumns.add(col(c));
            }
        }
        narrowColumns.add(kind.as(KIND));
        narrowColumns.add(values.array().as(VALUES_COLUMN));
        Dataset<Row> narrow = table.select(narrowColumns.toArray(Column[]::new));
        if (d > WIDE) {
            narrow = narrow.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
        }
        Column wellFormed = col(KIND).equalTo(InputStats.WELL_FORMED);
        Column skipped = wellFormed.and(rowsWith(col(VALUES_COLUMN), rules.skipsMissing(), rules.skipsInfinite()));
        List<Column> probe = new ArrayList<>(List.of(col(KIND),
                wellFormed.and(rowsWith(col(VALUES_COLUMN), rules.refusesMissing(), rules.refusesInfinite())),
                skipped, col(VALUES_COLUMN)));
        for (String t : textColumns) {
            probe.add(when(col(t).isNull(), InputStats.TEXT_NULL)
                    .when(col(t).try_cast(DataTypes.DoubleType).isNotNull(), InputStats.TEXT_NUMBER)
                    .otherwise(InputStats.TEXT_WORDS));
        }
        InputStats stats = narrow.select(probe.toArray(Column[]::new)).javaRDD()
                .treeAggregate(new InputStats(d, textColumns.size()), InputStats::add, InputStats::merge);
        if (stats.rows == 0) {
            throw new IllegalArgumentException("input " + source.path() + " has no rows");
        }
        boolean skipsMalformed = rules.skipsInfinite();
        long malformedRows = stats.malformedRows();
        if (malformedRows > 0 && !skipsMalformed) {
            throw malformedError(table, values, stats, source);
        }
        if (stats.wellFormedRows() == 0) {
            throw new IllegalArgumentException("input " + source.path() + " has no well-formed rows: all "
                    + malformedRows + " are malformed");
        }
        List<String> warnings = new ArrayList<>();
        for (int a = 0; a < d; a++) {
            String label = values.labels().get(a);
            double big = stats.maxAbs(a);
            if (stats.constant(a) && stats.wellFormedRows() > 1) {
                warnings.add(label + " is constant; it carries no information (leave it out with --features)");
            }
            if (big > OVERFLOWING) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s has values up to %.3g"
                        + " in magnitude, whose squares overflow; rescale it (for example divide it by 1e100, or"
                        + " standardise it)", source.path(), label, big));
            }
            if (big > HUGE) {
                warnings.add(String.format(Locale.ROOT, "%s has values up to %.3g in magnitude; rescale it"
                        + " (for example standardise it) to keep the covariances well conditioned", label, big));
            }
        }
        Map<String, TextContent> texts = new LinkedHashMap<>();
        for (int t = 0; t < textColumns.size(); t++) {
            String name = textColumns.get(t);
            long numbers = stats.numbers[t];
            long text = stats.texts[t];
            if (numbers > 0 && text > 0 && !skipsMalformed) {
                Located first = locate(table, col(name).isNotNull()
                        .and(col(name).try_cast(DataTypes.DoubleType).isNull()), source);
                throw new IllegalArgumentException(source.path() + ": column '" + name + "' holds numbers and text;"
                        + " the first text value is '" + first.row().getAs(name) + "' at " + first.where()
                        + "; fix it, pass --invalid skip to leave such lines out, or name the features with"
                        + " --features");
            }
            if (numbers > 0 || text > 0) {
                texts.put(name, numbers == 0 ? TextContent.TEXT : text == 0 ? TextContent.NUMBERS
                        : TextContent.NUMBERS_AND_TEXT);
            }
        }
        if (stats.refused > 0) {
            throw refusal(table, values, rules, refused, stats.refused, source);
        }
        if (malformedRows > 0) {
            List<String> where = locateAll(table, kind.notEqual(InputStats.WELL_FORMED), source, MALFORMED_LISTED);
            warnings.add(malformedRows + " malformed line(s) were skipped: " + String.join(", ", where)
                    + (malformedRows > where.size() ? ", ..." : ""));
        }
        long rows = stats.wellFormedRows();
        if (stats.skipped > 0) {
            warnings.add(stats.skipped + " of " + rows + " rows have " + skippedKinds(rules)
                    + " features and were skipped");
        }
        Dataset<Row> kept = (malformedRows == 0 && stats.skipped == 0 ? narrow
                : narrow.where(wellFormed.and(skipped.unary_$bang()))).drop(KIND);
        return new Result(kept, rows - stats.skipped, stats.skipped, malformedRows, warnings, texts);
    }

    /** The narrowed table's column of feature values (an array of doubles, null where missing). */
    public static final String VALUES_COLUMN = "__mixspark_values";

    private static final String KIND = "__mixspark_kind";

    /**
     * From this many features on, the narrowed table is computed once and kept (memory, then disk)
     * with its plan cut: planning, compiling and parsing thousands of raw columns takes seconds each
     * time a query reads them, so every later pass reads the narrow table instead.
     */
    static final int WIDE = 500;

    /** Malformed records listed by position in the warning, at most. */
    static final int MALFORMED_LISTED = 5;

    /** Which kind of malformed record a row is ({@link InputStats#WELL_FORMED} if none). */
    private static Column malformedKind(Dataset<Row> table, Values values) {
        Column kind = when(malformed(table), InputStats.CORRUPT_LINE);
        for (String s : values.textFeatures()) {
            kind = kind.when(notANumber(s), InputStats.TEXT_NOT_A_NUMBER);
        }
        if (values.vector() != null) {
            kind = kind.when(col(values.vector()).isNull().or(size(values.array()).notEqual(values.d())),
                    InputStats.BAD_VECTOR);
        }
        return kind.otherwise(InputStats.WELL_FORMED);
    }

    private static Column notANumber(String textFeature) {
        return col(textFeature).isNotNull().and(col(textFeature).try_cast(DataTypes.DoubleType).isNull());
    }

    /** The error for malformed records when they are not skipped: the first one of the commonest kind first. */
    private static IllegalArgumentException malformedError(Dataset<Row> table, Values values, InputStats stats,
                                                           InputTable.Source source) {
        long corrupt = stats.malformed[InputStats.CORRUPT_LINE];
        String remedy = "; fix the data or pass --invalid skip to leave such lines out";
        if (corrupt > 0) {
            Located first = locate(table, malformed(table), source);
            return new IllegalArgumentException(source.path() + ": " + corrupt + " malformed line(s); the first is "
                    + first.where() + " ('" + first.row().getAs(InputTable.CORRUPT_RECORD) + "'), which has another"
                    + " number of values than the header or a value of the wrong type" + remedy);
        }
        for (String s : values.textFeatures()) {
            if (stats.malformed[InputStats.TEXT_NOT_A_NUMBER] > 0 && !table.where(notANumber(s)).isEmpty()) {
                Located first = locate(table, notANumber(s), source);
                if (table.where(col(s).try_cast(DataTypes.DoubleType).isNotNull()).isEmpty()) {
                    return new IllegalArgumentException("feature column '" + s + "' is not numeric: it holds text"
                            + " such as '" + first.row().getAs(s) + "' at " + first.where());
                }
                return new IllegalArgumentException(source.path() + ": column '" + s + "' holds '"
                        + first.row().getAs(s) + "', which is not a number, at " + first.where() + " ("
                        + stats.malformed[InputStats.TEXT_NOT_A_NUMBER] + " such rows in all)" + remedy);
            }
        }
        String vector = values.vector();
        Located first = locate(table, col(vector).isNull().or(size(values.array()).notEqual(values.d())), source);
        Object v = first.row().getAs(vector);
        String held = v == null ? "no vector" : "a vector of " + ((Vector) v).size() + " values";
        return new IllegalArgumentException(source.path() + ": column '" + vector + "' holds " + held + " at "
                + first.where() + ", expected " + values.d() + " values (" + stats.malformed[InputStats.BAD_VECTOR]
                + " such rows in all)" + remedy);
    }

    /** The error for the first refused row: its file, line and feature, and how to get past it. */
    private static IllegalArgumentException refusal(Dataset<Row> table, Values values, Rules rules,
                                                    Column refused, long refusedRows, InputTable.Source source) {
        Located first = locate(table.withColumn(VALUES, values.array()), refused, source);
        List<Object> row = first.row().getList(first.row().fieldIndex(VALUES));
        int column = 0;
        for (int a = 0; a < row.size(); a++) {
            double x = row.get(a) == null ? Double.NaN : (Double) row.get(a);
            if (Double.isNaN(x) ? rules.refusesMissing() : Double.isInfinite(x) && rules.refusesInfinite()) {
                column = a;
                break;
            }
        }
        Object value = row.get(column);
        boolean missingValue = value == null || Double.isNaN((Double) value);
        String remedy = missingValue && !rules.missingFollowsInvalid()
                ? "pass --missing skip to leave such rows out, or --missing em to keep them"
                : "pass --invalid skip to leave such rows out";
        return new IllegalArgumentException(source.path() + ": " + values.labels().get(column) + " is "
                + describe(value) + " at " + first.where() + " (" + refusedRows + " such rows in all); fix the data or "
                + remedy);
    }

    /** The features' values of a located row. */
    private static final String VALUES = "__mixspark_values";

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

    /**
     * Rows with a missing feature value (if {@code missing}) or an infinite one (if {@code infinite}):
     * one {@code exists} over the array, as deep for ten thousand features as for one.
     */
    private static Column rowsWith(Column array, boolean missing, boolean infinite) {
        if (!missing && !infinite) {
            return lit(false);
        }
        return coalesce(exists(array, x -> {
            Column bad = lit(false);
            if (missing) {
                bad = bad.or(x.isNull()).or(isnan(x));
            }
            if (infinite) {
                bad = bad.or(abs(x).equalTo(Double.POSITIVE_INFINITY));
            }
            return bad;
        }), lit(false));
    }

    /** The first row matching a condition, with its file and its line (text formats) or row. */
    record Located(Row row, String where) {
    }

    static Located locate(Dataset<Row> table, Column condition, InputTable.Source source) {
        Row first = table.withColumn(FILE, input_file_name()).where(condition).first();
        String file = first.getString(first.fieldIndex(FILE));
        if (file == null || file.isEmpty()) {
            return new Located(first, "a row of " + source.path());
        }
        List<Long> index = rowIndexesInFile(SparkSession.active(), file, source, condition, 1);
        return new Located(first, where(index.isEmpty() ? -1 : index.get(0), file, source));
    }

    /** Where the first {@code n} rows matching a condition are: per file, their lines (text formats) or rows. */
    private static List<String> locateAll(Dataset<Row> table, Column condition, InputTable.Source source, int n) {
        // Whole rows: Spark refuses CSV queries that read the corrupt-record column alone.
        List<Row> first = table.withColumn(FILE, input_file_name()).where(condition).takeAsList(n);
        Map<String, Integer> perFile = new LinkedHashMap<>();
        for (Row r : first) {
            String file = r.getString(r.fieldIndex(FILE));
            perFile.merge(file == null ? "" : file, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        perFile.forEach((file, count) -> {
            if (file.isEmpty()) {
                out.add(count + " row(s) of " + source.path());
                return;
            }
            for (long index : rowIndexesInFile(SparkSession.active(), file, source, condition, count)) {
                out.add(where(index, file, source));
            }
        });
        return out;
    }

    private static final String FILE = "__mixspark_file";

    private static String where(long index, String file, InputTable.Source source) {
        return index < 0 ? "a row of file " + file
                : source.textLines() ? "line " + (index + source.headerLines() + 1) + " of file " + file
                : "row " + (index + 1) + " of file " + file;
    }

    /** 0-based positions of the first {@code n} matching records within one file, read alone and in order. */
    private static List<Long> rowIndexesInFile(SparkSession spark, String file, InputTable.Source source,
                                               Column condition, int n) {
        Dataset<Row> alone = InputTable.read(spark, file, source);
        int flag = alone.columns().length;
        List<scala.Tuple2<Row, Long>> first = alone.withColumn("__mixspark_match", condition).toJavaRDD()
                .zipWithIndex().filter(pair -> !pair._1().isNullAt(flag) && pair._1().getBoolean(flag)).take(n);
        return first.stream().map(scala.Tuple2::_2).map(Long.class::cast).toList();
    }
}
