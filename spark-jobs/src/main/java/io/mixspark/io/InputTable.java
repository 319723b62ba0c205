package io.mixspark.io;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a job's input table (CSV with a header, Parquet, ORC, JSON lines or LIBSVM, from any
 * Hadoop file-system URI) and chooses and assembles its feature columns.
 */
public final class InputTable {

    /**
     * CSV lines that do not parse, or have too few or too many values, and JSON lines that do not
     * parse, land in this column.
     */
    public static final String CORRUPT_RECORD = "__mixspark_corrupt";

    /**
     * Where a table came from and how to read it again.
     *
     * @param schema     the schema to read with (CSV: the inferred one plus the corrupt-record column)
     * @param vectorSize LIBSVM: the vector size to read with, so that every read of the table, whole or
     *                   file by file, gives vectors of one size; null for other formats
     */
    public record Source(String path, String format, StructType schema, Integer vectorSize) {
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
     * @param skippedRows    rows left out for missing, NaN or infinite features (rows kept with
     *                       missing values hold NaN there in the vector)
     * @param malformedRows  rows left out as malformed under {@code --invalid skip}
     * @param droppedColumns columns the default feature set left out, and why
     * @param warnings       what the validation noticed but did not stop for
     */
    public record Features(Dataset<Row> table, String vectorColumn, List<String> names, int d, long skippedRows,
                           long malformedRows, List<DroppedColumn> droppedColumns, List<String> warnings) {

        /** The same features over another table (the same rows with a column added, say). */
        public Features withTable(Dataset<Row> other) {
            return new Features(other, vectorColumn, names, d, skippedRows, malformedRows, droppedColumns, warnings);
        }
    }

    /**
     * A column left out of the default feature set.
     *
     * @param reason what it holds: {@code text}, {@code numbers stored as text}, {@code array},
     *               {@code struct}, {@code map}, {@code boolean}, {@code vector}, {@code empty} or a type name
     */
    public record DroppedColumn(String name, String reason) {
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
        return source(spark, path, format, null);
    }

    /**
     * As {@link #source(SparkSession, String, String)}; LIBSVM vectors are read with {@code modelD}
     * values when a model fixes it (not the size the file's largest index suggests), else with the
     * size the largest index of all the files gives.
     *
     * @throws IllegalArgumentException naming the line of an index above {@code modelD}
     */
    public static Source source(SparkSession spark, String path, String format, Integer modelD) {
        if (format.equals("libsvm")) {
            return libsvmSource(spark, path, modelD);
        }
        if (!format.equals("csv")) {
            return new Source(path, format, null, null);
        }
        StructType inferred = spark.read().option("header", "true").option("inferSchema", "true").csv(path).schema();
        StructType schema = inferred.add(CORRUPT_RECORD, DataTypes.StringType, true);
        return new Source(path, format, schema, null);
    }

    /** Spark's LIBSVM reader guesses the vector size from the largest index, in one pass over the data. */
    private static Source libsvmSource(SparkSession spark, String path, Integer modelD) {
        Dataset<Row> guessed = spark.read().format("libsvm").load(path);
        int largest = AttributeGroup.fromStructField(guessed.schema().apply(LIBSVM_VECTOR)).size();
        Source asGuessed = new Source(path, "libsvm", null, largest);
        if (modelD == null) {
            return asGuessed;
        }
        if (largest > modelD) {
            throw indexAboveModel(guessed, modelD, largest, asGuessed);
        }
        return new Source(path, "libsvm", null, modelD);
    }

    private static final String LIBSVM_VECTOR = "features";

    /** Names the first line with an index above the model's d (an explicit 0 there is not found: no line then). */
    private static IllegalArgumentException indexAboveModel(Dataset<Row> table, int modelD, int largest,
                                                            Source source) {
        Column beyond = exists(slice(vector_to_array(col(LIBSVM_VECTOR), "float64"), modelD + 1, largest - modelD),
                x -> x.notEqual(0.0));
        String fix = "; the model has d = " + modelD + " features: predict on data with indices 1.." + modelD
                + ", or fit a model on this data";
        if (table.where(beyond).isEmpty()) {
            return new IllegalArgumentException(source.path() + ": LIBSVM feature indices go up to " + largest + fix);
        }
        InputValidation.Located first = InputValidation.locate(table, beyond, source);
        Vector v = (Vector) first.row().get(first.row().fieldIndex(LIBSVM_VECTOR));
        int index = v.toSparse().indices()[v.toSparse().indices().length - 1] + 1;
        return new IllegalArgumentException(source.path() + ": feature index " + index + " at " + first.where()
                + fix);
    }

    /** Reads a table; CSV and JSON lines that do not fit the schema are flagged, not dropped. */
    public static Dataset<Row> read(SparkSession spark, String path, Source source) {
        return switch (source.format()) {
            case "csv" -> csvReader(spark).schema(source.schema()).option("header", "true").option("mode", "PERMISSIVE")
                    .option("columnNameOfCorruptRecord", CORRUPT_RECORD).csv(path);
            case "libsvm" -> spark.read().format("libsvm").option("numFeatures", (long) source.vectorSize()).load(path);
            case "json" -> spark.read().option("columnNameOfCorruptRecord", CORRUPT_RECORD).json(path);
            default -> readBinary(spark, path, source.format());
        };
    }

    /**
     * Spark's CSV reader, parsing every column of a line whatever a query needs: with column
     * pruning it parses only the columns read, and a line with a value too many or too few then
     * passes for well formed in one query and not in another.
     */
    private static org.apache.spark.sql.DataFrameReader csvReader(SparkSession spark) {
        spark.conf().set("spark.sql.csv.parser.columnPruning.enabled", "false");
        return spark.read();
    }

    /** Parquet or ORC; a file of another format is named, with the format to pass. */
    private static Dataset<Row> readBinary(SparkSession spark, String path, String format) {
        try {
            return spark.read().format(format).load(path);
        } catch (Exception e) {
            String other = FormatSniffer.notOfFormat(spark.sparkContext().hadoopConfiguration(), path, format);
            if (other != null) {
                throw new IllegalArgumentException(other, e);
            }
            throw FormatSniffer.<RuntimeException>unchanged(e);
        }
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
        Set<String> featureSet = new HashSet<>(features);
        for (StructField f : schema.fields()) {
            if (f.dataType().equals(DataTypes.StringType) && !featureSet.contains(f.name())
                    && !excluded.contains(f.name()) && !f.name().equals(CORRUPT_RECORD)) {
                out.add(f.name());
            }
        }
        return out;
    }

    /**
     * Picks the features: the named columns (numeric ones, or text ones read as numbers), or else
     * every numeric column not excluded, or a table's single vector column (LIBSVM, also when named
     * by its features' names f1, f2, ...), checks them, and assembles them into {@code vectorColumn};
     * a missing value (null or NaN) of a row the rules keep becomes NaN in the vector.
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
        boolean named = requested != null && !requested.isEmpty();
        if (vectors.size() == 1 && (!named || namesVectorFeatures(requested, columns))) {
            return vectorFeatures(table, vectors.get(0), vectorColumn, named ? requested.size() : -1, rules, source);
        }
        List<String> names = new ArrayList<>();
        List<String> textFeatures = new ArrayList<>();
        if (named) {
            for (String name : requested) {
                if (!columns.contains(name)) {
                    throw new IllegalArgumentException("feature column '" + name + "' does not exist; columns: "
                            + String.join(", ", visibleColumns(schema)));
                }
                DataType type = schema.apply(name).dataType();
                if (type.equals(DataTypes.StringType)) {
                    textFeatures.add(name);
                } else if (!(type instanceof NumericType)) {
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
        List<String> texts = textColumns(schema, names, excluded);
        InputValidation.Result checked = InputValidation.check(table, tableValues(names, textFeatures), texts, rules,
                source);
        List<String> mixed = new ArrayList<>();
        checked.textColumns().forEach((name, content) -> {
            if (content == InputValidation.TextContent.NUMBERS_AND_TEXT && !named) {
                mixed.add(name);
            }
        });
        if (!mixed.isEmpty()) {
            // Text in a numeric column under --invalid skip: the column is numeric, its text lines malformed.
            List<String> wider = new ArrayList<>();
            Set<String> widened = new HashSet<>(names);
            widened.addAll(mixed);
            for (String f : schema.fieldNames()) {
                if (widened.contains(f)) {
                    wider.add(f);
                }
            }
            names = wider;
            textFeatures.addAll(mixed);
            texts.removeAll(mixed);
            checked = InputValidation.check(table, tableValues(names, textFeatures), texts, rules, source);
        }
        List<DroppedColumn> dropped = named ? List.of() : dropped(schema, names, excluded, checked.textColumns());
        List<String> warnings = new ArrayList<>(checked.warnings());
        for (DroppedColumn c : dropped) {
            warnings.add("column '" + c.name() + "' " + holds(c.reason()) + " and is not used as a feature"
                    + (c.reason().equals(NUMBERS_AS_TEXT) ? "; name it in --features to use it" : ""));
        }
        Dataset<Row> assembled = checked.table()
                .withColumn(vectorColumn, assemble(col(InputValidation.VALUES_COLUMN)))
                .drop(InputValidation.VALUES_COLUMN);
        return new Features(assembled, vectorColumn, List.copyOf(names), names.size(), checked.skippedRows(),
                checked.malformedRows(), dropped, List.copyOf(warnings));
    }

    private static final String NUMBERS_AS_TEXT = "numbers stored as text";

    /** The features as an array of doubles, nulls where a value is missing; text features read as numbers. */
    private static InputValidation.Values tableValues(List<String> names, List<String> textFeatures) {
        List<Column> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Set<String> texts = new HashSet<>(textFeatures);
        for (String name : names) {
            values.add(texts.contains(name) ? col(name).try_cast(DataTypes.DoubleType)
                    : col(name).cast(DataTypes.DoubleType));
            labels.add("column '" + name + "'");
        }
        return new InputValidation.Values(array(values.toArray(Column[]::new)), labels, List.copyOf(textFeatures),
                null, List.copyOf(names));
    }

    /** One flat expression, whatever the number of features: a missing value becomes NaN. */
    private static Column assemble(Column values) {
        return array_to_vector(transform(values, x -> coalesce(x, lit(Double.NaN))));
    }

    /** Whether features named f1, f2, ... (a model fitted on a vector column, say) name a vector's entries. */
    private static boolean namesVectorFeatures(List<String> requested, Set<String> columns) {
        for (int a = 0; a < requested.size(); a++) {
            if (!requested.get(a).equals("f" + (a + 1)) || columns.contains(requested.get(a))) {
                return false;
            }
        }
        return true;
    }

    /** The columns a default feature set leaves out, in the table's order, with what they hold. */
    private static List<DroppedColumn> dropped(StructType schema, List<String> names, List<String> excluded,
                                               Map<String, InputValidation.TextContent> texts) {
        List<DroppedColumn> out = new ArrayList<>();
        Set<String> used = new HashSet<>(names);
        for (StructField f : schema.fields()) {
            if (used.contains(f.name()) || excluded.contains(f.name()) || f.name().equals(CORRUPT_RECORD)) {
                continue;
            }
            DataType type = f.dataType();
            String reason;
            if (type.equals(DataTypes.StringType)) {
                InputValidation.TextContent content = texts.get(f.name());
                reason = content == null ? "empty" : content == InputValidation.TextContent.NUMBERS ? NUMBERS_AS_TEXT
                        : content == InputValidation.TextContent.TEXT ? "text" : "numbers and text";
            } else if (type instanceof ArrayType) {
                reason = "array";
            } else if (type instanceof StructType) {
                reason = "struct";
            } else if (type instanceof MapType) {
                reason = "map";
            } else if (type.equals(DataTypes.BooleanType)) {
                reason = "boolean";
            } else if (type.equals(SQLDataTypes.VectorType())) {
                reason = "vector";
            } else {
                reason = type.simpleString();
            }
            out.add(new DroppedColumn(f.name(), reason));
        }
        return out;
    }

    private static String holds(String reason) {
        return switch (reason) {
            case "text", NUMBERS_AS_TEXT, "numbers and text" -> "holds " + reason;
            case "empty" -> "holds no values";
            case "array", "struct", "map", "boolean", "vector" -> "holds " + reason + "s";
            default -> "holds " + reason + " values";
        };
    }

    /**
     * A vector column as the features, checked like table columns (and a row whose vector is null or
     * of another size is malformed).
     *
     * @param d the vector size expected, or -1 for the size of the first row's
     */
    private static Features vectorFeatures(Dataset<Row> table, String column, String vectorColumn, int d,
                                           InputValidation.Rules rules, Source source) {
        if (d < 0) {
            List<Row> first = table.select(column).where(col(column).isNotNull()).takeAsList(1);
            if (first.isEmpty()) {
                throw new IllegalArgumentException("input " + (source == null ? "" : source.path() + " ")
                        + "has no rows");
            }
            d = ((Vector) first.get(0).get(0)).size();
        }
        List<String> names = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        boolean libsvm = source != null && source.format().equals("libsvm");
        for (int a = 1; a <= d; a++) {
            names.add("f" + a);
            labels.add("feature " + a + " of " + (libsvm ? "the LIBSVM vector" : "column '" + column + "'"));
        }
        InputValidation.Values values = new InputValidation.Values(vector_to_array(col(column), "float64"), labels,
                List.of(), column, List.of());
        InputValidation.Result checked = InputValidation.check(table, values, List.of(), rules, source);
        Dataset<Row> kept = checked.table().drop(InputValidation.VALUES_COLUMN);
        Dataset<Row> out = column.equals(vectorColumn) ? kept : kept.withColumnRenamed(column, vectorColumn);
        return new Features(out, vectorColumn, List.copyOf(names), d, checked.skippedRows(), checked.malformedRows(),
                List.of(), checked.warnings());
    }
}
