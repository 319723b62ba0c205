package io.mixspark.stream;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows as Kafka records. A record's value is a JSON object of feature name to number, for example
 * {@code {"x": 1.5, "y": -0.25, "id": "a17"}}: every feature must be there as a finite number,
 * other fields are ignored unless named as carried columns (id, label), which are read as text. A
 * record whose value is not such an object is a bad record: {@link #split} sets it apart so the
 * caller can stop on it or count it. Predictions go out as records whose key is the input
 * record's key and whose value is a JSON object of the carried columns, {@code cluster} and
 * {@code probability}.
 */
public final class KafkaRecords {

    /** The record's position, {@code topic/partition/offset}, for messages about it. */
    public static final String POSITION = "__mixspark_kafka_position";
    /** The record's key as text (null when it has none). */
    public static final String KEY = "__mixspark_kafka_key";
    private static final String VALUE = "__mixspark_kafka_value";
    private static final String PARSED = "__mixspark_kafka_parsed";
    /** The longest part of a bad record's value that a message quotes. */
    private static final int QUOTED = 200;

    private KafkaRecords() {
    }

    /**
     * The records of {@code topic} as a stream, from the earliest offset the broker holds when the
     * query first starts (its checkpoint says where to go on after that).
     */
    public static Dataset<Row> subscribe(SparkSession spark, String bootstrap, String topic) {
        return subscribe(spark, bootstrap, topic, null);
    }

    /** As {@link #subscribe(SparkSession, String, String)}, at most {@code maxPerTrigger} records a batch (null: all). */
    public static Dataset<Row> subscribe(SparkSession spark, String bootstrap, String topic, Long maxPerTrigger) {
        org.apache.spark.sql.streaming.DataStreamReader reader = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest");
        if (maxPerTrigger != null) {
            reader = reader.option("maxOffsetsPerTrigger", maxPerTrigger.longValue());
        }
        return reader.load();
    }

    /**
     * A micro-batch of Kafka rows parsed: the carried columns (text), the features (doubles),
     * {@link #KEY} and {@link #POSITION}; good rows and bad ones apart.
     */
    public static Parsed split(Dataset<Row> records, List<String> features, List<String> carried) {
        StructType schema = new StructType();
        for (String f : features) {
            schema = schema.add(f, DataTypes.DoubleType, true);
        }
        for (String c : carried) {
            if (!features.contains(c)) {
                schema = schema.add(c, DataTypes.StringType, true);
            }
        }
        Dataset<Row> parsed = records.select(
                col("key").cast(DataTypes.StringType).as(KEY),
                col("value").cast(DataTypes.StringType).as(VALUE),
                col("partition"), col("offset"),
                concat_ws("/", col("topic"), col("partition").cast(DataTypes.StringType),
                        col("offset").cast(DataTypes.StringType)).as(POSITION),
                from_json(col("value").cast(DataTypes.StringType), schema, Map.of("mode", "PERMISSIVE")).as(PARSED));
        Column good = col(PARSED).isNotNull();
        for (String f : features) {
            Column v = col(PARSED).getField(f);
            good = good.and(v.isNotNull()).and(not(isnan(v)))
                    .and(abs(v).notEqual(lit(Double.POSITIVE_INFINITY)));
        }
        List<Column> columns = new ArrayList<>();
        for (String c : carried) {
            columns.add(col(PARSED).getField(c).as(c));
        }
        for (String f : features) {
            if (!carried.contains(f)) {
                columns.add(col(PARSED).getField(f).as(f));
            }
        }
        columns.add(col(KEY));
        columns.add(col(POSITION));
        Dataset<Row> rows = parsed.where(good).select(columns.toArray(Column[]::new));
        Dataset<Row> bad = parsed.where(not(good)).select(col(POSITION), col(VALUE), col("partition"),
                col("offset"));
        return new Parsed(rows, bad, features);
    }

    /** Good rows and bad records of one micro-batch. */
    public record Parsed(Dataset<Row> rows, Dataset<Row> bad, List<String> features) {

        /** The number of bad records (a Spark job). */
        public long badCount() {
            return bad.count();
        }

        /** Names the first bad record (by position) and why it is refused. */
        public IllegalArgumentException firstBad() {
            Row first = bad.orderBy(col("partition"), col("offset")).first();
            String value = first.isNullAt(1) ? "null" : first.getString(1);
            if (value.length() > QUOTED) {
                value = value.substring(0, QUOTED) + "...";
            }
            return new IllegalArgumentException("the Kafka record at " + first.getString(0)
                    + " (topic/partition/offset) is not a JSON object with a finite number for every feature "
                    + features + ": " + value + "; pass --invalid skip to count and skip such records");
        }
    }

    /**
     * Predictions as Kafka records: key the input record's (none for rows from files), value a JSON object of the carried
     * columns, {@code cluster} and {@code probability}.
     */
    public static Dataset<Row> asRecords(Dataset<Row> predictions, List<String> carried) {
        List<Column> fields = new ArrayList<>();
        carried.forEach(c -> fields.add(col(c)));
        fields.add(col("cluster"));
        fields.add(col("probability"));
        Column key = java.util.Arrays.asList(predictions.columns()).contains(KEY) ? col(KEY)
                : lit(null).cast(DataTypes.StringType);
        return predictions.select(key.as("key"), to_json(struct(fields.toArray(Column[]::new))).as("value"));
    }
}
