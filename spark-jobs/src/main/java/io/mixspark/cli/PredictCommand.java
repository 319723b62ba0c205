package io.mixspark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LogLikelihoodPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.io.InputTable;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mixspark predict}: a saved model and an input table give per-row predictions; with
 * {@code --missing em}, rows with missing values are scored on their observed values, and
 * {@code --impute} fills those values in.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.mixspark.cli.PredictCommand",
        description = "Assign rows to the components of a saved model; write predictions/ and metrics.json.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "PATH",
            description = "A model.json, or the output directory of fit or select.")
    String model;

    @Mixin
    InputOptions input;

    @Mixin
    MissingOptions missing;

    @Option(names = "--impute",
            description = "Also write <feature>_imputed for each feature: the observed value, or its conditional"
                    + " mean given the row's observed values where it is missing (needs --missing em).")
    boolean impute;

    @Option(names = "--stream",
            description = "Score a stream: each new file of the --input directory, or each record of a Kafka topic"
                    + " (--format kafka), as it arrives; the model is read again whenever its model.json changes."
                    + " Predictions go to --output's predictions/batch=<id>/ or to --output-topic.")
    boolean stream;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--output-topic", paramLabel = "TOPIC",
            description = "With --stream: write predictions to this Kafka topic (at --kafka-bootstrap) instead of"
                    + " files; --output then holds metrics.json alone.")
    String outputTopic;

    @Mixin
    StreamOptions streamOptions;

    @Mixin
    PrecisionOption precision;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() throws Exception {
        if (stream || KafkaOptions.namesKafka(input)) {
            return streamed();
        }
        Validation.usage(() -> {
            if (kafka.bootstrap != null || kafka.topic != null || outputTopic != null || streamOptions.given()) {
                throw new IllegalArgumentException("--kafka-bootstrap, --topic, --output-topic, --checkpoint-dir"
                        + " and --trigger are options of a stream: add --stream");
            }
            input.validate();
            precision.parsed();
            input.requirePredictableColumns();
            missing.validate();
            if (impute && !missing.em()) {
                throw new IllegalArgumentException("--impute needs --missing em (otherwise no row keeps a missing"
                        + " value)");
            }
            return null;
        });
        if (job.dryRun.stopsHere("predict")) {
            return ExitCodes.OK;
        }
        long start = System.nanoTime();
        SparkSession session = job.session("mixspark predict", model, input.input);
        ModelJson.Named named = JobOutputs.readModel(model, session.sparkContext().hadoopConfiguration());
        if (!input.features.isEmpty()
                && !new java.util.HashSet<>(input.features).equals(new java.util.HashSet<>(named.features()))) {
            throw new Validation.UsageException("--features " + input.features + " are not the model's features "
                    + named.features() + "; predict reads the model's features by name, so --features can be left"
                    + " out");
        }
        // By name, in the model's order, whatever order --features gave them in.
        input.features = named.features();
        input.modelD = named.mixture().d();
        InputTable.Features features = input.load(session, missing);
        if (features.d() != named.mixture().d()) {
            throw new IllegalArgumentException("the model has d = " + named.mixture().d() + " features "
                    + named.features() + ", the input gives " + features.d() + " " + features.names());
        }
        MixSparkGaussianMixtureModel gmm = new MixSparkGaussianMixtureModel("mixspark-gmm-predict", named.mixture());
        try (OutputDirectory out = job.outputDirectory(session, input.input, model)) {
            JobOutputs.writePredictions(out, gmm, features.table(), input.carriedColumns(),
                    impute ? features.names() : List.of());
            ObjectNode metrics = JobOutputs.JSON.createObjectNode();
            metrics.put("command", "predict");
            metrics.put("model", model);
            LogLikelihoodPass.Total score = score(named.mixture(), features);
            metrics.put("rows", score.rows());
            metrics.put("meanLogLikelihood", score.mean());
            metrics.put("precision", precision.parsed().id());
            JobOutputs.putInput(metrics, features);
            metrics.put("totalSeconds", (System.nanoTime() - start) / 1e9);
            JobOutputs.writeJson(out, "metrics.json", metrics);
            out.commit();
        }
        System.out.println("wrote predictions to " + job.output());
        return ExitCodes.OK;
    }

    /** {@code --stream}: the options checked, the model read, and the query run until it ends. */
    private Integer streamed() throws Exception {
        boolean fromKafka = KafkaOptions.namesKafka(input);
        String format = Validation.usage(() -> {
            if (!stream) {
                throw new IllegalArgumentException("a Kafka topic is a stream: add --stream");
            }
            if (fromKafka && !input.input.trim().equalsIgnoreCase(KafkaOptions.KAFKA)) {
                throw new IllegalArgumentException("--format kafka reads --topic; give --input kafka, not '"
                        + input.input + "'");
            }
            kafka.validateSource(fromKafka, outputTopic != null);
            if (outputTopic != null && (kafka.bootstrap == null || kafka.bootstrap.isBlank())) {
                throw new IllegalArgumentException("--output-topic needs --kafka-bootstrap HOST:PORT");
            }
            streamOptions.validate("predict --stream");
            input.validate(fromKafka);
            input.requirePredictableColumns();
            missing.validate();
            if (impute) {
                throw new IllegalArgumentException("--impute is for files scored once; predict --stream scores rows"
                        + " with every feature");
            }
            if (missing.missing != null) {
                throw new IllegalArgumentException("--missing is for files scored once; predict --stream follows"
                        + " --invalid (error or skip) for rows with a missing feature");
            }
            if (input.partitions != null || input.weightCol != null) {
                throw new IllegalArgumentException("--partitions and --weight-col do not apply to predict --stream");
            }
            return fromKafka ? KafkaOptions.KAFKA : StreamingPredict.fileFormat(input);
        });
        if (job.dryRun.stopsHere("predict")) {
            return ExitCodes.OK;
        }
        SparkSession session = job.session("mixspark predict --stream", model, fromKafka ? null : input.input,
                streamOptions.checkpointDir);
        org.apache.hadoop.conf.Configuration conf = session.sparkContext().hadoopConfiguration();
        try {
            io.mixspark.io.OutputDirectory.requireApart(job.output(), conf, model,
                    fromKafka ? null : input.input, streamOptions.checkpointDir);
        } catch (IllegalArgumentException e) {
            throw new Validation.UsageException(e.getMessage());
        }
        ModelJson.Named named = JobOutputs.readModel(model, conf);
        String modelFile = JobOutputs.modelFile(model, conf);
        if (!input.features.isEmpty()
                && !new java.util.HashSet<>(input.features).equals(new java.util.HashSet<>(named.features()))) {
            throw new Validation.UsageException("--features " + input.features + " are not the model's features "
                    + named.features() + "; predict reads the model's features by name, so --features can be left"
                    + " out");
        }
        List<String> features = named.features();
        StreamingPredict.Source source = fromKafka
                ? StreamingPredict.kafka(kafka, features, input.carriedColumns(), input.invalidRows())
                : StreamingPredict.files(input, format, features, missing.rules(input.invalidRows()),
                        streamOptions.checkpointDir);
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(job.output());
        out.getFileSystem(conf).mkdirs(out);
        new StreamingPredict(session, model, new io.mixspark.stream.ModelWatcher(modelFile, conf, named), source,
                input.carriedColumns(), List.of(), streamOptions, kafka, outputTopic, job.output()).run();
        System.out.println("predict --stream stopped; " + (outputTopic != null ? "predictions went to topic "
                + outputTopic : "predictions in " + job.output() + "/predictions") + ", metrics in " + job.output()
                + "/metrics.json");
        return ExitCodes.OK;
    }

    /**
     * The input's log-likelihood under the model, scikit-learn's {@code score}: any two models can be
     * compared on the same data by their {@code meanLogLikelihood}.
     */
    private LogLikelihoodPass.Total score(Mixture mixture, InputTable.Features features) {
        return SparkBlockData.onePass(BlockPacker.pack(features.table(), InputOptions.VECTOR_COLUMN, null,
                        features.d(), BlockPacker.DEFAULT_BLOCK_ROWS, missing.forBlocks()),
                new LogLikelihoodPass(mixture, Kernels.passName(Kernels.AUTO, precision.parsed())));
    }
}
