package io.mixspark.spark.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Column params shared by the estimator and its model, and the schema checks on them. */
final class SharedParams {

    private SharedParams() {
    }

    static Param<String> featuresCol(Identifiable owner) {
        return new Param<>(owner, "featuresCol", "features column (a vector of doubles)");
    }

    static Param<String> predictionCol(Identifiable owner) {
        return new Param<>(owner, "predictionCol", "prediction column: the most probable component");
    }

    static Param<String> probabilityCol(Identifiable owner) {
        return new Param<>(owner, "probabilityCol", "column of the components' posterior probabilities");
    }

    /** Checks that the features column exists and holds vectors. */
    static void requireVectorColumn(StructType schema, String column) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(column).dataType();
        if (!type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("column '" + column + "' must be a vector, got " + type.simpleString());
        }
    }

    /** The schema with the prediction and probability columns appended. */
    static StructType withOutputs(StructType schema, String featuresCol, String predictionCol, String probabilityCol) {
        requireVectorColumn(schema, featuresCol);
        StructType out = schema;
        for (String column : new String[] {predictionCol, probabilityCol}) {
            if (java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("output column '" + column + "' already exists");
            }
        }
        out = out.add(new StructField(predictionCol, DataTypes.IntegerType, false,
                org.apache.spark.sql.types.Metadata.empty()));
        return out.add(new StructField(probabilityCol, SQLDataTypes.VectorType(), false,
                org.apache.spark.sql.types.Metadata.empty()));
    }
}
