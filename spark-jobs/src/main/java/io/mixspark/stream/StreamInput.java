package io.mixspark.stream;

import io.mixspark.io.InputTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one place a stream's DataFrame is created: a directory that files land in (CSV with a
 * header, Parquet or JSON lines), read as Structured Streaming's file source, or a Kafka topic
 * of JSON records ({@link KafkaRecords}), whose columns are the features named up front. A streaming file
 * source needs its schema up front: it is taken from the files already there, read as
 * {@code fit} reads them, or else from the features of the model the stream starts from.
 */
public final class StreamInput {

    /** The formats a stream reads. */
    public static final List<String> FORMATS = List.of("csv", "parquet", "json");

    /**
     * @param path               the directory new files land in (any Hadoop URI)
     * @param format             one of {@link #FORMATS}
     * @param maxFilesPerTrigger new files one micro-batch takes at most; null for all there are
     */
    public record Settings(String path, String format, Integer maxFilesPerTrigger) {
        public Settings {
            if (maxFilesPerTrigger != null && maxFilesPerTrigger < 1) {
                throw new IllegalArgumentException("--max-files-per-trigger must be >= 1, got " + maxFilesPerTrigger);
            }
        }
    }

    private StreamInput() {
    }

    /**
     * The format to read: the explicit one, else the directory's extension, as {@code fit} tells it.
     *
     * @throws IllegalArgumentException for a format a stream cannot read
     */
    public static String formatOf(String path, String explicit) {
        String format = InputTable.formatOf(path, explicit);
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("a stream reads " + String.join(", ", FORMATS) + " files; got --format "
                    + format.toLowerCase(Locale.ROOT));
        }
        return format;
    }

    /**
     * How each micro-batch is read. The schema is the one the stream started with, kept in its
     * checkpoint, so a restart reads later files as the first run did; a new stream takes it from
     * the files in the directory now or, when it holds none yet, from the model's features (as
     * doubles) followed by {@code carried} (as text), and keeps it there.
     *
     * @param modelFeatures the starting model's features, or null when there is no model
     * @throws FileNotFoundException    when the directory does not exist
     * @throws IllegalArgumentException when it holds no files and there is no model
     */
    public static InputTable.Source source(SparkSession spark, Settings settings, List<String> modelFeatures,
                                           List<String> carried, String checkpointDir) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        boolean files = hasDataFiles(settings.path(), conf);
        Path kept = new Path(new Path(checkpointDir, StreamStateStore.DIRECTORY), SCHEMA_FILE);
        FileSystem fs = kept.getFileSystem(conf);
        if (fs.exists(kept)) {
            try (InputStream in = fs.open(kept)) {
                StructType schema = (StructType) DataType.fromJson(new String(in.readAllBytes(),
                        StandardCharsets.UTF_8));
                return new InputTable.Source(settings.path(), settings.format(), schema, null);
            }
        }
        InputTable.Source source = fresh(spark, settings, modelFeatures, carried, files);
        Path writing = new Path(kept.getParent(), "." + SCHEMA_FILE + "." + UUID.randomUUID() + ".writing");
        fs.mkdirs(kept.getParent());
        try (OutputStream out = fs.create(writing, true)) {
            out.write(source.schema().json().getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(writing, kept)) {
            throw new IOException("could not rename " + writing + " to " + kept);
        }
        return source;
    }

    /** The schema a stream keeps in its checkpoint. */
    private static final String SCHEMA_FILE = "schema.json";

    private static InputTable.Source fresh(SparkSession spark, Settings settings, List<String> modelFeatures,
                                           List<String> carried, boolean files) {
        if (files) {
            return inferred(spark, settings);
        }
        if (modelFeatures == null) {
            throw new IllegalArgumentException("the input directory " + settings.path() + " holds no files to take"
                    + " the stream's columns from; add a file first, or give --init-model (its features name the"
                    + " columns)");
        }
        List<StructField> fields = new ArrayList<>();
        modelFeatures.forEach(f -> fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true)));
        carried.forEach(c -> fields.add(DataTypes.createStructField(c, DataTypes.StringType, true)));
        if (!settings.format().equals("parquet")) {
            fields.add(DataTypes.createStructField(InputTable.CORRUPT_RECORD, DataTypes.StringType, true));
        }
        return new InputTable.Source(settings.path(), settings.format(), DataTypes.createStructType(fields), null);
    }

    private static InputTable.Source inferred(SparkSession spark, Settings settings) {
        String path = settings.path();
        return switch (settings.format()) {
            case "csv" -> InputTable.source(spark, path, "csv");
            case "json" -> {
                StructType schema = spark.read().json(path).schema();
                if (!List.of(schema.fieldNames()).contains(InputTable.CORRUPT_RECORD)) {
                    schema = schema.add(InputTable.CORRUPT_RECORD, DataTypes.StringType, true);
                }
                yield new InputTable.Source(path, "json", schema, null);
            }
            default -> new InputTable.Source(path, "parquet", spark.read().parquet(path).schema(), null);
        };
    }

    /** The streaming DataFrame: malformed CSV and JSON lines are flagged in the corrupt-record column, as fit does. */
    public static Dataset<Row> open(SparkSession spark, Settings settings, InputTable.Source source) {
        DataStreamReader reader = spark.readStream().format(settings.format()).schema(source.schema());
        if (settings.maxFilesPerTrigger() != null) {
            reader = reader.option("maxFilesPerTrigger", settings.maxFilesPerTrigger().longValue());
        }
        if (settings.format().equals("csv")) {
            // As fit reads CSV: every column parsed whatever the query reads, so malformed lines are always found.
            spark.conf().set("spark.sql.csv.parser.columnPruning.enabled", "false");
            // A later file whose header names other columns is refused rather than read by position.
            reader = reader.option("header", "true").option("enforceSchema", "false").option("mode", "PERMISSIVE")
                    .option("columnNameOfCorruptRecord", InputTable.CORRUPT_RECORD);
        } else if (settings.format().equals("json")) {
            reader = reader.option("columnNameOfCorruptRecord", InputTable.CORRUPT_RECORD);
        }
        return reader.load(settings.path());
    }

    /** Whether the directory holds a file Spark would read (not hidden, not a marker like _SUCCESS). */
    private static boolean hasDataFiles(String dir, Configuration conf) throws IOException {
        Path path = new Path(dir);
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
            throw new FileNotFoundException("the input directory " + dir + " does not exist");
        }
        if (!fs.getFileStatus(path).isDirectory()) {
            throw new IllegalArgumentException("a stream reads the files that land in a directory; " + dir
                    + " is a file: give its directory");
        }
        for (FileStatus status : fs.listStatus(path)) {
            String name = status.getPath().getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Kafka topic to learn from.
     *
     * @param maxRecordsPerTrigger records one micro-batch takes at most (over all partitions); null for all there are
     */
    public record Kafka(String bootstrap, String topic, Long maxRecordsPerTrigger) {
        public Kafka {
            if (maxRecordsPerTrigger != null && maxRecordsPerTrigger < 1) {
                throw new IllegalArgumentException("--max-records-per-trigger must be >= 1, got "
                        + maxRecordsPerTrigger);
            }
        }
    }

    /**
     * How a Kafka stream's records are read: {@code numbers} (the features, and a weight column) as
     * doubles, {@code carried} as text; a record's value must be a JSON object holding them.
     */
    public static InputTable.Source source(Kafka kafka, List<String> numbers, List<String> carried) {
        List<StructField> fields = new ArrayList<>();
        numbers.forEach(f -> fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true)));
        carried.forEach(c -> fields.add(DataTypes.createStructField(c, DataTypes.StringType, true)));
        return new InputTable.Source("kafka topic " + kafka.topic(), "kafka", DataTypes.createStructType(fields), null);
    }

    /** The topic's records as a stream, from the earliest offset on a first run. */
    public static Dataset<Row> open(SparkSession spark, Kafka kafka) {
        Dataset<Row> records = KafkaRecords.subscribe(spark, kafka.bootstrap(), kafka.topic(),
                kafka.maxRecordsPerTrigger());
        return records;
    }

    /**
     * A micro-batch of Kafka records as the rows of {@code source}'s columns, with the number of bad
     * records; under {@code stopOnBad} the first bad record stops the stream (IllegalArgumentException
     * naming its topic, partition and offset).
     */
    public static KafkaRows rows(Dataset<Row> batch, InputTable.Source source, List<String> numbers,
                                 List<String> carried, boolean stopOnBad) {
        KafkaRecords.Parsed parsed = KafkaRecords.split(batch, numbers, carried);
        long bad = 0;
        if (stopOnBad) {
            if (!parsed.bad().isEmpty()) {
                throw parsed.firstBad();
            }
        } else {
            bad = parsed.badCount();
        }
        List<org.apache.spark.sql.Column> columns = new ArrayList<>();
        for (String name : source.schema().fieldNames()) {
            columns.add(org.apache.spark.sql.functions.col(name));
        }
        return new KafkaRows(parsed.rows().select(columns.toArray(org.apache.spark.sql.Column[]::new)), bad);
    }

    /** The good rows of a Kafka micro-batch and the number of bad records left out. */
    public record KafkaRows(Dataset<Row> rows, long badRecords) {
    }
}
