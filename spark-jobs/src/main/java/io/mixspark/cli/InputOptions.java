package io.mixspark.cli;

import io.mixspark.io.InputTable;
import io.mixspark.io.InputValidation;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The input table and its columns, shared by every command that reads data. */
public final class InputOptions {

    /** The assembled feature vector's column; a name no input is expected to use. */
    static final String VECTOR_COLUMN = "__mixspark_features";

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "Input table: CSV with header, Parquet, ORC, JSON lines or LIBSVM; any Hadoop URI.")
    String input;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv, parquet, orc, json or libsvm (default: from the extension).")
    String format;

    @Option(names = "--features", split = ",", paramLabel = "COL",
            description = "Feature columns (default: every numeric column but the label, id and weight columns).")
    List<String> features = new ArrayList<>();

    @Option(names = "--label-col", paramLabel = "COL", description = "Label column, carried to the predictions.")
    String labelCol;

    @Option(names = "--id-col", paramLabel = "COL", description = "Id column, carried to the predictions.")
    String idCol;

    @Option(names = "--weight-col", paramLabel = "COL", description = "Row weight column (finite, >= 0).")
    String weightCol;

    @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions.")
    Integer partitions;

    // The default is spelt out: report takes these options as an optional group, whose fields
    // picocli cannot read a default from.
    @Option(names = "--invalid", paramLabel = "MODE",
            description = "Rows with missing, NaN or infinite features, and malformed lines: error or skip"
                    + " (default: error).")
    String invalid = "error";

    /** The number of features of the model the input is scored with, if any: LIBSVM vectors are read at that size. */
    Integer modelD;

    /** Columns every predictions/ output adds, which a carried input column must not take. */
    static final List<String> PREDICTION_COLUMNS = List.of("cluster", "probability");

    /**
     * Checks, before any work, that the carried columns can sit beside the predictions' own;
     * IllegalArgumentException naming the clash.
     */
    void requirePredictableColumns() {
        if (idCol != null && idCol.equals(labelCol)) {
            throw new IllegalArgumentException("--id-col and --label-col name the same column '" + idCol
                    + "'; give it once");
        }
        for (String carried : carriedColumns()) {
            if (PREDICTION_COLUMNS.contains(carried)) {
                throw new IllegalArgumentException("the carried column '" + carried + "' clashes with the"
                        + " predictions' own column of that name; rename it in the input");
            }
        }
    }

    /** Columns carried through to the predictions. */
    List<String> carriedColumns() {
        List<String> out = new ArrayList<>();
        if (idCol != null) {
            out.add(idCol);
        }
        if (labelCol != null) {
            out.add(labelCol);
        }
        return out;
    }

    InputValidation.InvalidRows invalidRows() {
        return switch (invalid.toLowerCase(java.util.Locale.ROOT)) {
            case "error" -> InputValidation.InvalidRows.ERROR;
            case "skip" -> InputValidation.InvalidRows.SKIP;
            default -> throw new IllegalArgumentException("--invalid must be error or skip, got '" + invalid + "'");
        };
    }

    void validate() {
        validate(false);
    }

    /** As {@link #validate()}; a Kafka source has no file format to check. */
    void validate(boolean kafka) {
        invalidRows();
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        if (!kafka) {
            InputTable.formatOf(input, format);
        }
    }

    /**
     * Reads and checks the table and assembles the features into {@link #VECTOR_COLUMN}; prints
     * what the checks noticed.
     */
    InputTable.Features load(SparkSession spark) {
        return load(spark, List.of(), InputValidation.Rules.following(invalidRows()));
    }

    /** As {@link #load(SparkSession)}, with missing values treated as {@code --missing} says. */
    InputTable.Features load(SparkSession spark, MissingOptions missing) {
        return load(spark, List.of(), missing.rules(invalidRows()));
    }

    /** As {@link #load(SparkSession, MissingOptions)}, keeping {@code otherColumns} out of the features too. */
    InputTable.Features load(SparkSession spark, MissingOptions missing, List<String> otherColumns) {
        return load(spark, otherColumns, missing.rules(invalidRows()));
    }

    /** As {@link #load(SparkSession)}, keeping {@code otherColumns} (a site column, say) out of the features too. */
    InputTable.Features load(SparkSession spark, List<String> otherColumns) {
        return load(spark, otherColumns, InputValidation.Rules.following(invalidRows()));
    }

    private InputTable.Features load(SparkSession spark, List<String> otherColumns, InputValidation.Rules rules) {
        InputTable.Source source = InputTable.source(spark, input, InputTable.formatOf(input, format), modelD);
        Dataset<Row> table = InputTable.read(spark, input, source);
        List<String> excluded = new ArrayList<>(carriedColumns());
        excluded.addAll(otherColumns);
        if (weightCol != null) {
            excluded.add(weightCol);
        }
        InputTable.Features f = InputTable.features(table, features, excluded, VECTOR_COLUMN, rules, source);
        f.warnings().forEach(w -> System.out.println("warning: " + w));
        if (partitions == null) {
            return f;
        }
        return f.withTable(f.table().repartition(partitions));
    }
}
