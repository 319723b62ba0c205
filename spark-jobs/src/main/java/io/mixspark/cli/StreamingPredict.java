package io.mixspark.cli;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.io.InputTable;
import io.mixspark.io.InputValidation;
import io.mixspark.io.ModelJson;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import io.mixspark.stream.BatchGate;
import io.mixspark.stream.KafkaRecords;
import io.mixspark.stream.ModelWatcher;
import io.mixspark.stream.StreamInput;
import io.mixspark.stream.StreamQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.Trigger;

/**
 * {@code predict --stream}: a Structured Streaming query whose every micro-batch is scored with
 * the model {@link ModelWatcher} holds (read again when model.json changes) and written to the
 * sink: {@code predictions/batch=<id>/} (Parquet, written in a hidden folder and moved in whole,
 * replaced if a restart replays the batch) or a Kafka topic. SIGTERM stops it after the batch in
 * flight. {@code metrics.json} lists the batches, each once, with their rows, bad records
 * and the model that scored them.
 */
final class StreamingPredict {

    /** A source: the streaming rows and how a micro-batch of them becomes features. */
    interface Source {
        Dataset<Row> stream(SparkSession spark);

        Scorable features(Dataset<Row> batch, long batchId);
    }

    /** Points of a batch at which a test's {@link StepHook} can act (stop the process, send it a signal). */
    enum Step {
        /** The batch is about to be scored. */
        BATCH_STARTED,
        /** The batch's predictions are written, not yet listed in metrics.json. */
        PREDICTIONS_WRITTEN,
        /** The batch's predictions are where readers look, not yet listed in metrics.json. */
        PREDICTIONS_PUBLISHED
    }

    /** Hears each step of each batch. */
    interface StepHook {
        void reached(Step step, long batchId) throws Exception;
    }

    /** Set by tests that stop the driver at a given step; a no-op otherwise. */
    static volatile StepHook hook = (step, batchId) -> { };

    /** A micro-batch ready to score, and what it lost. */
    record Scorable(Dataset<Row> table, List<String> carried, long badRecords, long skippedRows, long malformedRows) {
    }

    private static final String PREDICTIONS = "predictions";
    private static final String BATCH = "batch=";
    private static final String WRITING = ".writing";
    private static final String REPLACED = ".replaced-";

    private final SparkSession spark;
    private final BatchGate gate = new BatchGate();
    private final ModelWatcher watcher;
    private final String modelPath;
    private final Source source;
    private final List<String> carried;
    private final List<String> imputed;
    private final StreamOptions stream;
    private final KafkaOptions kafka;
    private final String outputTopic;
    private final Path output;
    private final TreeMap<Long, ObjectNode> batches = new TreeMap<>();

    StreamingPredict(SparkSession spark, String modelPath, ModelWatcher watcher, Source source,
                     List<String> carried, List<String> imputed, StreamOptions stream, KafkaOptions kafka,
                     String outputTopic, String output) {
        this.spark = spark;
        this.modelPath = modelPath;
        this.watcher = watcher;
        this.source = source;
        this.carried = carried;
        this.imputed = imputed;
        this.stream = stream;
        this.kafka = kafka;
        this.outputTopic = outputTopic;
        this.output = new Path(output);
    }

    /**
     * Runs the query until its trigger ends it or it is stopped: SIGTERM stops it after the batch in
     * flight, as it stops {@code stream} ({@link StreamQuery}).
     */
    void run() throws Exception {
        readEarlierBatches();
        removeUnfinishedWrites();
        DataStreamWriter<Row> writer = source.stream(spark).writeStream()
                .queryName("mixspark-predict")
                .option("checkpointLocation", stream.checkpointDir)
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> gate.run(batchId, () -> {
                    score(batch, batchId);
                    return null;
                }));
        Trigger trigger = stream.parsedTrigger();
        DataStreamWriter<Row> triggered = trigger == null ? writer : writer.trigger(trigger);
        StreamQuery.run(triggered::start, gate::stopAfterBatchInFlight);
    }

    private void score(Dataset<Row> batch, long batchId) throws Exception {
        hook.reached(Step.BATCH_STARTED, batchId);
        long start = System.nanoTime();
        ModelJson.Named named = watcher.current();
        if (watcher.notice() != null) {
            System.out.println((watcher.notice().startsWith("reloaded") ? "" : "warning: ") + "batch " + batchId
                    + ": " + watcher.notice());
        }
        Dataset<Row> cached = batch.persist();
        try {
            Scorable s = source.features(cached, batchId);
            MixSparkGaussianMixtureModel gmm = new MixSparkGaussianMixtureModel("mixspark-gmm-predict-stream",
                    named.mixture());
            Dataset<Row> predictions = JobOutputs.predictions(gmm, s.table(), s.carried(), imputed).persist();
            long rows = predictions.count();
            if (outputTopic != null) {
                KafkaRecords.asRecords(predictions, carried).write().format("kafka")
                        .option("kafka.bootstrap.servers", kafka.bootstrap).option("topic", outputTopic).save();
            } else {
                // The Kafka key has no column of its own in files: --id-col carries a row's identity.
                Path writing = new Path(output, PREDICTIONS + "/." + BATCH + batchId + WRITING);
                predictions.drop(KafkaRecords.KEY).write().mode(SaveMode.Overwrite).parquet(writing.toString());
                hook.reached(Step.PREDICTIONS_WRITTEN, batchId);
                publish(writing, new Path(output, PREDICTIONS + "/" + BATCH + batchId));
                hook.reached(Step.PREDICTIONS_PUBLISHED, batchId);
            }
            predictions.unpersist();
            ObjectNode b = JobOutputs.JSON.createObjectNode();
            b.put("batchId", batchId);
            b.put("rows", rows);
            b.put("badRecords", s.badRecords());
            b.put("skippedRows", s.skippedRows());
            b.put("malformedRows", s.malformedRows());
            b.put("model", watcher.shortDigest());
            b.put("seconds", (System.nanoTime() - start) / 1e9);
            batches.put(batchId, b);
            writeMetrics();
            if (s.badRecords() > 0) {
                System.out.println("warning: batch " + batchId + ": skipped " + s.badRecords() + " bad Kafka"
                        + " record(s) (not a JSON object with a finite number for every feature)");
            }
        } finally {
            cached.unpersist();
        }
    }

    /**
     * Moves a batch's finished folder to where readers look. A folder an earlier run published for
     * a replayed batch is first moved aside (hidden), then the new one is renamed in and the old one
     * deleted: where a rename is atomic (HDFS, local disks) readers see the old batch or the new one
     * whole, never part of it (between the two renames the batch is briefly absent), and the new
     * folder never lands inside an old one that could not be deleted. A hidden folder is passed over by Spark, as names starting with a dot are.
     */
    private void publish(Path writing, Path target) throws IOException {
        FileSystem fs = target.getFileSystem(conf());
        Path aside = null;
        if (fs.exists(target)) {
            aside = new Path(target.getParent(), "." + target.getName() + REPLACED + UUID.randomUUID());
            if (!fs.rename(target, aside)) {
                throw new IOException("could not move the earlier predictions " + target + " aside to " + aside);
            }
        }
        if (!fs.rename(writing, target)) {
            throw new IOException("could not move the predictions of " + writing + " to " + target);
        }
        if (aside != null && !fs.delete(aside, true)) {
            System.out.println("warning: could not delete the replaced predictions " + aside + "; readers pass"
                    + " over it (its name starts with a dot) and the next start tries again");
        }
    }

    /**
     * The hidden folders of batches a killed run was writing (Spark replays those batches), and of
     * replaced batches it had moved aside.
     */
    private void removeUnfinishedWrites() throws IOException {
        Path predictions = new Path(output, PREDICTIONS);
        FileSystem fs = predictions.getFileSystem(conf());
        if (!fs.exists(predictions)) {
            return;
        }
        for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(predictions)) {
            String name = status.getPath().getName();
            if (name.startsWith("." + BATCH) && (name.endsWith(WRITING) || name.contains(REPLACED))) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    /** A restarted query goes on with the batches an earlier run listed (a replayed batch replaces its entry). */
    private void readEarlierBatches() throws IOException {
        Path metrics = new Path(output, "metrics.json");
        FileSystem fs = metrics.getFileSystem(conf());
        if (!fs.exists(metrics)) {
            return;
        }
        JsonNode earlier = JobOutputs.JSON.readTree(JobOutputs.readText(metrics.toString(), conf()));
        for (JsonNode b : earlier.path("batches")) {
            batches.put(b.path("batchId").asLong(), (ObjectNode) b);
        }
    }

    private void writeMetrics() {
        ObjectNode m = JobOutputs.JSON.createObjectNode();
        m.put("command", "predict");
        m.put("stream", true);
        m.put("model", modelPath);
        m.put("sink", outputTopic != null ? "kafka:" + outputTopic : new Path(output, "predictions").toString());
        long rows = 0;
        long bad = 0;
        long skipped = 0;
        long malformed = 0;
        for (ObjectNode b : batches.values()) {
            rows += b.path("rows").asLong();
            bad += b.path("badRecords").asLong();
            skipped += b.path("skippedRows").asLong();
            malformed += b.path("malformedRows").asLong();
        }
        m.put("rows", rows);
        m.put("badRecords", bad);
        m.put("skippedRows", skipped);
        m.put("malformedRows", malformed);
        ArrayNode list = m.putArray("batches");
        batches.values().forEach(list::add);
        writeAtomically(new Path(output, "metrics.json"), m);
    }

    /** Written beside, then renamed over the old file, so a reader never sees half of it. */
    private void writeAtomically(Path target, ObjectNode json) {
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(conf());
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(JobOutputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json)
                        .getBytes(StandardCharsets.UTF_8));
            }
            FileContext.getFileContext(target.toUri(), conf()).rename(temporary, target, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    private Configuration conf() {
        return spark.sparkContext().hadoopConfiguration();
    }

    /** The format of a directory stream, as {@code stream} reads them; IllegalArgumentException if not one. */
    static String fileFormat(InputOptions input) {
        return StreamInput.formatOf(input.input, input.format);
    }

    /**
     * A directory of CSV, JSON or Parquet files, opened by {@link StreamInput} as {@code stream}
     * opens it (the columns kept in the checkpoint; a directory with no file yet takes the model's
     * features and the carried columns); new files are new rows.
     */
    static Source files(InputOptions input, String format, List<String> features, InputValidation.Rules rules,
                        String checkpointDir) {
        StreamInput.Settings settings = new StreamInput.Settings(input.input, format, null);
        return new Source() {
            private InputTable.Source table;

            @Override
            public Dataset<Row> stream(SparkSession spark) {
                try {
                    table = StreamInput.source(spark, settings, features, input.carriedColumns(), checkpointDir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return StreamInput.open(spark, settings, table);
            }

            @Override
            public Scorable features(Dataset<Row> batch, long batchId) {
                List<String> excluded = input.carriedColumns();
                InputTable.Features f = InputTable.features(batch, features, excluded, InputOptions.VECTOR_COLUMN,
                        rules, table);
                f.warnings().forEach(w -> System.out.println("warning: batch " + batchId + ": " + w));
                return new Scorable(f.table(), excluded, 0, f.skippedRows(), f.malformedRows());
            }
        };
    }

    /** A Kafka topic of JSON records (see {@link KafkaRecords}). */
    static Source kafka(KafkaOptions kafka, List<String> features, List<String> carried,
                        InputValidation.InvalidRows invalid) {
        return new Source() {
            @Override
            public Dataset<Row> stream(SparkSession spark) {
                return StreamInput.open(spark, new StreamInput.Kafka(kafka.bootstrap, kafka.topic, null));
            }

            @Override
            public Scorable features(Dataset<Row> batch, long batchId) {
                KafkaRecords.Parsed parsed = KafkaRecords.split(batch, features, carried);
                long bad = 0;
                if (invalid == InputValidation.InvalidRows.ERROR) {
                    if (!parsed.bad().isEmpty()) {
                        throw parsed.firstBad();
                    }
                } else {
                    bad = parsed.badCount();
                }
                List<Column> values = new ArrayList<>();
                features.forEach(f -> values.add(col(f)));
                Dataset<Row> table = parsed.rows().withColumn(InputOptions.VECTOR_COLUMN,
                        array_to_vector(array(values.toArray(Column[]::new))));
                List<String> kept = new ArrayList<>(carried);
                kept.add(KafkaRecords.KEY);
                return new Scorable(table, kept, bad, 0, 0);
            }
        };
    }
}
