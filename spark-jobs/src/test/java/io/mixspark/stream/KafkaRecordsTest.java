package io.mixspark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The record format, on rows shaped as Spark's Kafka source gives them (no broker needed). */
class KafkaRecordsTest {

    private static final StructType KAFKA_ROWS = new StructType()
            .add("key", DataTypes.BinaryType).add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType).add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType);

    private static Dataset<Row> records(String... values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(RowFactory.create(("k" + i).getBytes(StandardCharsets.UTF_8),
                    values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8), "t", 0, (long) i));
        }
        return SharedSpark.session().createDataFrame(rows, KAFKA_ROWS);
    }

    @Test
    void aRecordWithEveryFeatureAsAFiniteNumberIsARow() {
        KafkaRecords.Parsed p = KafkaRecords.split(records(
                "{\"x\": 1.5, \"y\": -2, \"id\": 17, \"other\": [1]}",
                "{\"y\": 3.25, \"x\": 0, \"id\": \"a\"}"), List.of("x", "y"), List.of("id"));
        assertEquals(0, p.badCount());
        Map<String, double[]> byId = new HashMap<>();
        Map<String, String> keyById = new HashMap<>();
        for (Row r : p.rows().collectAsList()) {
            String id = r.getString(r.fieldIndex("id"));
            byId.put(id, new double[] {r.getDouble(r.fieldIndex("x")), r.getDouble(r.fieldIndex("y"))});
            keyById.put(id, r.getString(r.fieldIndex(KafkaRecords.KEY)));
        }
        assertEquals(2, byId.size());
        assertEquals(1.5, byId.get("17")[0]);
        assertEquals(-2.0, byId.get("17")[1]);
        assertEquals(3.25, byId.get("a")[1]);
        assertEquals("k0", keyById.get("17"));
    }

    @Test
    void everyOtherRecordIsBadAndTheFirstIsNamedByItsPosition() {
        KafkaRecords.Parsed p = KafkaRecords.split(records(
                "{\"x\": 1, \"y\": 2}",
                "{\"x\": 1}",
                "{\"x\": \"1\", \"y\": 2}",
                "{\"x\": NaN, \"y\": 2}",
                "{\"x\": 1, \"y\": Infinity}",
                "1.0,2.0",
                "[1, 2]",
                null,
                "{\"x\": 1, \"y\": null}"), List.of("x", "y"), List.of());
        assertEquals(1, p.rows().count());
        assertEquals(8, p.badCount());
        String message = p.firstBad().getMessage();
        assertTrue(message.startsWith("the Kafka record at t/0/1 (topic/partition/offset) is not a JSON object with"
                + " a finite number for every feature [x, y]: {\"x\": 1}"), message);
    }

    @Test
    void aPredictionRecordKeepsTheKeyAndHoldsTheCarriedColumnsClusterAndProbability() {
        StructType schema = new StructType().add("id", DataTypes.StringType).add(KafkaRecords.KEY, DataTypes.StringType)
                .add("cluster", DataTypes.IntegerType)
                .add("probability", DataTypes.createArrayType(DataTypes.DoubleType));
        Dataset<Row> predictions = SharedSpark.session().createDataFrame(
                List.of(RowFactory.create("a", "k7", 1, new double[] {0.25, 0.75})), schema);
        Row record = KafkaRecords.asRecords(predictions, List.of("id")).first();
        assertEquals("k7", record.getString(0));
        assertEquals("{\"id\":\"a\",\"cluster\":1,\"probability\":[0.25,0.75]}", record.getString(1));
    }
}
