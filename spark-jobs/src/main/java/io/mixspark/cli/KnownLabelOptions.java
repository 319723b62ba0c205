package io.mixspark.cli;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine.Option;

/**
 * {@code fit --known-label-col}: rows whose component is known (semi-supervised EM). A column of
 * integers holds component indexes; any other column holds class names, which are numbered in
 * their sorted order (the numbering goes to model.json). An empty or null cell is a row whose
 * component is not known; with more components than classes, the others are free (classes no row
 * names).
 */
public final class KnownLabelOptions {

    /** The column of component indexes the estimator reads; a name no input is expected to use. */
    static final String INDEX_COLUMN = "__mixspark_known_component";

    @Option(names = "--known-label-col", paramLabel = "COL",
            description = "Column of known components: a component index (0..k-1) or a class name per row, empty"
                    + " where unknown; those rows belong to their component alone.")
    String column;

    @Option(names = "--label-weight", paramLabel = "W",
            description = "Weight of each row whose component is known, relative to the others (default: 1).")
    Double weight;

    /**
     * The table with the component index of each row in {@link #INDEX_COLUMN}, the class names'
     * numbering (empty for a column of indexes) and the number of labelled rows.
     */
    record Mapped(Dataset<Row> table, Map<String, Integer> classes, long labelledRows) {
    }

    /** Checks the options; IllegalArgumentException when wrong. */
    void validate(List<String> features) {
        if (column == null) {
            if (weight != null) {
                throw new IllegalArgumentException("--label-weight applies only with --known-label-col");
            }
            return;
        }
        if (column.isBlank() || features.contains(column)) {
            throw new IllegalArgumentException("--known-label-col must name a column that is not a feature, got '"
                    + column + "'");
        }
        if (weight != null && (!(weight > 0) || weight.isInfinite())) {
            throw new IllegalArgumentException("--label-weight must be a finite number > 0, got " + weight);
        }
    }

    boolean given() {
        return column != null;
    }

    double weight() {
        return weight == null ? 1.0 : weight;
    }

    /** Numbers the classes of the column (one Spark job) and adds {@link #INDEX_COLUMN}. */
    Mapped apply(Dataset<Row> table, int k) {
        if (!List.of(table.columns()).contains(column)) {
            throw new IllegalArgumentException("--known-label-col '" + column + "' is not a column of the input;"
                    + " columns: " + String.join(", ", table.columns()));
        }
        DataType type = table.schema().apply(column).dataType();
        boolean indexes = type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
                || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType);
        if (indexes) {
            Dataset<Row> out = table.withColumn(INDEX_COLUMN, functions.col(column).cast("int"));
            long labelled = out.filter(functions.col(INDEX_COLUMN).geq(0)).count();
            return new Mapped(out, Map.of(), labelled);
        }
        Map<String, Long> counts = new TreeMap<>();
        for (Row r : table.select(functions.trim(functions.col(column).cast("string")).as("c"))
                .filter(functions.col("c").isNotNull().and(functions.col("c").notEqual("")))
                .groupBy("c").count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        if (counts.size() > k) {
            throw new IllegalArgumentException("--known-label-col '" + column + "' names " + counts.size()
                    + " classes " + new ArrayList<>(counts.keySet()) + ", more than --k " + k);
        }
        Map<String, Integer> classes = new LinkedHashMap<>();
        counts.keySet().forEach(name -> classes.put(name, classes.size()));
        long labelled = counts.values().stream().mapToLong(Long::longValue).sum();
        ClassIndex index = new ClassIndex(new LinkedHashMap<>(classes));
        Dataset<Row> out = table.withColumn(INDEX_COLUMN, functions.udf(index, DataTypes.IntegerType)
                .apply(functions.trim(functions.col(column).cast("string"))));
        return new Mapped(out, classes, labelled);
    }

    /** A class name's component index, or -1 for an empty or unknown name. */
    private record ClassIndex(LinkedHashMap<String, Integer> classes) implements UDF1<String, Integer>, Serializable {
        @Override
        public Integer call(String name) {
            return name == null ? -1 : classes.getOrDefault(name, -1);
        }
    }
}
