package io.mixspark.spark.ml.param;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;

/**
 * The columns every clustering stage reads and writes: {@code featuresCol} in,
 * {@code predictionCol} and {@code probabilityCol} out, and the schema checks on them.
 */
public interface HasClusteringColumns<T> extends MixSparkParams<T> {

    default Param<String> featuresCol() {
        return declare("featuresCol", p -> new Param<>(p, "featuresCol", "features column (a vector of doubles)"),
                "features");
    }

    default Param<String> predictionCol() {
        return declare("predictionCol", p -> new Param<>(p, "predictionCol",
                "prediction column: the most probable component"), "prediction");
    }

    default Param<String> probabilityCol() {
        return declare("probabilityCol", p -> new Param<>(p, "probabilityCol",
                "column of the components' posterior probabilities"), "probability");
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default String getProbabilityCol() {
        return getOrDefault(probabilityCol());
    }

    default T setFeaturesCol(String value) {
        return setParam(featuresCol(), value);
    }

    default T setPredictionCol(String value) {
        return setParam(predictionCol(), value);
    }

    default T setProbabilityCol(String value) {
        return setParam(probabilityCol(), value);
    }

    /**
     * The schema with the prediction and probability columns appended, after checking the
     * features column and the other input columns the stage reads ({@code inputColumns}; an
     * empty name is an unset optional column).
     */
    default StructType withClusteringOutputs(StructType schema, String... inputColumns) {
        requireVectorColumn(schema, getFeaturesCol());
        for (String column : inputColumns) {
            if (!column.isEmpty()) {
                requireColumn(schema, column);
            }
        }
        for (String column : new String[] {getPredictionCol(), getProbabilityCol()}) {
            if (Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("output column '" + column + "' already exists");
            }
        }
        return schema.add(getPredictionCol(), DataTypes.IntegerType, false, Metadata.empty())
                .add(getProbabilityCol(), SQLDataTypes.VectorType(), false, Metadata.empty());
    }

    /** Checks that the features column exists and holds vectors. */
    static void requireVectorColumn(StructType schema, String column) {
        requireColumn(schema, column);
        DataType type = schema.apply(column).dataType();
        if (!type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("column '" + column + "' must be a vector, got " + type.simpleString());
        }
    }

    /** Checks that a column exists, naming the columns there are. */
    static void requireColumn(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
    }
}
