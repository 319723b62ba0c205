package io.mixspark.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a job's input table (CSV with a header, Parquet, ORC, JSON lines or LIBSVM, from any
 * Hadoop file-system URI) and chooses and assembles its feature columns.
 */
public final class InputTable {

    /** CSV lines that do not parse, or have too few or too many values, land in this column. */
    public static final String CORRUPT_RECORD = "__mixspark_corrupt";

    /**
     * Where a table came from and how to read it again.
     *
     * @param schema the schema to read with (CSV: the inferred one plus the corrupt-record column)
     */
    public record Source(String path, String format, StructType schema) {
        /** Whether records are lines of text (CSV, JSON lines), so positions are line numbers. */
        public boolean textLines() {
            return format.equals("csv") || format.equals("json") || format.equals("libsvm");
        }

        /** Lines before the first record: CSV's header. */
        public int headerLines() {
            return format.equals("csv") ? 1 : 0;
        }
    }

    /** Formats the reader knows, by name. */
    public static final List<String> FORMATS = List.of("csv", "parquet", "orc", "json", "libsvm");

    private InputTable() {
    }

    /**
     * The table with its features assembled into {@code vectorColumn}.
     *
     * @param skippedRows rows left out for missing, NaN or infinite features (rows kept with
     *                    missing values hold NaN there in the vector)
     * @param warnings    what the validation noticed but did not stop for
     */
    public record Features(Dataset<Row> table, String vectorColumn, List<String> names, int d, long skippedRows,
                           List<String> warnings) {

        /** The same features over another table (the same rows with a column added, say). */
        public Features withTable(Dataset<Row> other) {
            return new Features(other, vectorColumn, names, d, skippedRows, warnings);
        }
    }

    /**
     * The format to read: the explicit one, else the path's extension ({@code .csv},
     * {@code .parquet}, {@code .orc}, {@code .json}/{@code .jsonl}, {@code .libsvm}/{@code .svm}).
     */
    public static String formatOf(String path, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            String f = explicit.trim().toLowerCase(Locale.ROOT);
            if (!FORMATS.contains(f)) {
                throw new IllegalArgumentException("format must be one of " + String.join(", ", FORMATS) + ", got '"
                        + explicit + "'");
            }
            return f;
        }
        String name = path.replaceAll("/+$", "");
        name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        return switch (ext) {
            case "csv" -> "csv";
            case "parquet" -> "parquet";
            case "orc" -> "orc";
            case "json", "jsonl" -> "json";
            case "libsvm", "svm" -> "libsvm";
            default -> throw new IllegalArgumentException("cannot tell the format of '" + path
                    + "' from its name; pass --format " + String.join("|", FORMATS));
        };
    }

    /** How to read a path: for CSV, the schema inferred from the data plus the internal columns. */
    public static Source source(SparkSession spark, String path, String format) {
        if (!format.equals("csv")) {
            return new Source(path, format, null);
        }
        StructType inferred = spark.read().option("header", "true").option("inferSchema", "true").csv(path).schema();
        StructType schema = inferred.add(CORRUPT_RECORD, DataTypes.StringType, true);
        return new Source(path, format, schema);
    }

    /** Reads a table; CSV lines that do not fit the schema are flagged, not dropped. */
    public static Dataset<Row> read(SparkSession spark, String path, Source source) {
        return switch (source.format()) {
            case "csv" -> spark.read().schema(source.schema()).option("header", "true").option("mode", "PERMISSIVE")
                    .option("columnNameOfCorruptRecord", CORRUPT_RECORD).csv(path);
            case "libsvm" -> spark.read().format("libsvm").load(path);
            default -> spark.read().format(source.format()).load(path);
        };
    }

    /** The table's columns as the user knows them (without the reader's internal ones). */
    static List<String> visibleColumns(StructType schema) {
        List<String> out = new ArrayList<>(Arrays.asList(schema.fieldNames()));
        out.remove(CORRUPT_RECORD);
        return out;
    }

    /** Text columns that are neither features nor excluded: candidates for stray-text checks. */
    public static List<String> textColumns(StructType schema, List<String> features, List<String> excluded) {
        List<String> out = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (f.dataType().equals(DataTypes.StringType) && !features.contains(f.name())
                    && !excluded.contains(f.name()) && !f.name().equals(CORRUPT_RECORD)) {
                out.add(f.name());
            }
        }
        return out;
    }

    /**
     * Picks the features: the named columns, or else every numeric column not excluded, or a
     * table's single vector column (LIBSVM), and assembles them into {@code vectorColumn}; a
     * missing value (null or NaN) of a row the rules keep becomes NaN in the vector.
     *
     * @throws IllegalArgumentException naming a missing or non-numeric column, or when no
     *                                  feature column is left
     */
    public static Features features(Dataset<Row> table, List<String> requested, List<String> excluded,
                                    String vectorColumn, InputValidation.Rules rules, Source source) {
        StructType schema = table.schema();
        Set<String> columns = new HashSet<>(Arrays.asList(schema.fieldNames()));
        for (String name : excluded) {
            if (!columns.contains(name)) {
                throw new IllegalArgumentException("column '" + name + "' does not exist; columns: "
                        + String.join(", ", visibleColumns(schema)));
            }
        }
        List<String> vectors = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (f.dataType().equals(SQLDataTypes.VectorType()) && !excluded.contains(f.name())) {
                vectors.add(f.name());
            }
        }
        if ((requested == null || requested.isEmpty()) && vectors.size() == 1) {
            return vectorFeatures(table, vectors.get(0), vectorColumn);
        }
        List<String> names = new ArrayList<>();
        if (requested != null && !requested.isEmpty()) {
            for (String name : requested) {
                if (!columns.contains(name)) {
                    throw new IllegalArgumentException("feature column '" + name + "' does not exist; columns: "
                            + String.join(", ", visibleColumns(schema)));
                }
                DataType type = schema.apply(name).dataType();
                if (!(type instanceof NumericType)) {
                    throw new IllegalArgumentException("feature column '" + name + "' is not numeric (it holds "
                            + type.simpleString() + " values)");
                }
                names.add(name);
            }
        } else {
            for (StructField f : schema.fields()) {
                if (f.dataType() instanceof NumericType && !excluded.contains(f.name())) {
                    names.add(f.name());
                }
            }
        }
        if (names.isEmpty() && source != null && table.isEmpty()) {
            throw new IllegalArgumentException("input " + source.path() + " has no rows");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no numeric feature columns; columns: "
                    + String.join(", ", visibleColumns(schema)));
        }
        InputValidation.Result checked = InputValidation.check(table, names,
                textColumns(schema, names, excluded), rules, source);
        // "keep" assembles a null as NaN, the one form of a missing value that blocks carry.
        Dataset<Row> assembled = new VectorAssembler().setInputCols(names.toArray(String[]::new))
                .setOutputCol(vectorColumn).setHandleInvalid("keep").transform(checked.table());
        return new Features(assembled, vectorColumn, List.copyOf(names), names.size(), checked.skippedRows(),
                checked.warnings());
    }

    private static Features vectorFeatures(Dataset<Row> table, String column, String vectorColumn) {
        List<Row> first = table.select(column).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the input has no rows");
        }
        int d = ((Vector) first.get(0).get(0)).size();
        List<String> names = new ArrayList<>();
        for (int a = 1; a <= d; a++) {
            names.add("f" + a);
        }
        Dataset<Row> out = column.equals(vectorColumn) ? table : table.withColumnRenamed(column, vectorColumn);
        return new Features(out, vectorColumn, List.copyOf(names), d, 0, List.of());
    }
}
