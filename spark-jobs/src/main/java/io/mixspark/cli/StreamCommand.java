package io.mixspark.cli;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.io.InputTable;
import io.mixspark.io.InputValidation;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.online.OnlineEmOptions;
import io.mixspark.stream.OnlineEmSink;
import io.mixspark.stream.StreamInput;
import io.mixspark.stream.StreamQuery;
import io.mixspark.stream.StreamTrigger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mixspark stream}: a Gaussian mixture learnt from files landing in a directory, one
 * online-EM step per Structured Streaming micro-batch; DIR/model.json and DIR/metrics.json are
 * replaced after every batch, exactly once across kills and restarts (docs/STREAMING.md).
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.mixspark.cli.StreamCommand",
        description = "Learn a Gaussian mixture from the files that land in a directory or the records of a Kafka"
                + " topic, one online-EM step per micro-batch; keep its model and metrics current.")
final class StreamCommand implements Callable<Integer> {

    @Mixin
    InputOptions input;

    @Option(names = "--k", required = true, paramLabel = "K",
            description = "Components of the first model (fitted on the first batch, or --init-model's).")
    int k;

    @Option(names = "--covariance", paramLabel = "TYPE",
            description = "Covariance model: " + CovarianceModels.NAMES + " (default: ${DEFAULT-VALUE}).")
    String covariance = "full";

    @Option(names = "--max-k", paramLabel = "M",
            description = "Let batches with many poorly explained rows add components, up to M, and drop"
                    + " components whose weight fades (default: --k, no growth).")
    Integer maxK;

    @Option(names = "--novelty", paramLabel = "X",
            description = "A row is novel when its log-density under the model is below X (default: when it lies"
                    + " outside every component's 99.9%% ellipsoid).")
    Double novelty;

    @Option(names = "--decay", paramLabel = "G",
            description = "Constant step in (0, 1): older batches weigh (1 - G) less per batch, for drifting"
                    + " data (default: the decreasing step below).")
    Double decay;

    @Option(names = "--step-exponent", paramLabel = "A",
            description = "Step of batch t is (t + T0)^-A, A in (0.5, 1] (default: ${DEFAULT-VALUE}).")
    double stepExponent = OnlineEmOptions.DEFAULT_STEP_EXPONENT;

    @Option(names = "--step-offset", paramLabel = "T0",
            description = "T0 >= 0 of the decreasing step (default: ${DEFAULT-VALUE}).")
    double stepOffset = OnlineEmOptions.DEFAULT_STEP_OFFSET;

    @Option(names = "--init-model", paramLabel = "PATH",
            description = "Start from this model.json (or an output directory holding one) instead of fitting the"
                    + " first batch; its features name the columns.")
    String initModel;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EmStepOptions step;

    @Option(names = "--checkpoint-dir", required = true, paramLabel = "DIR",
            description = "The query's checkpoint and the learnt state (any Hadoop URI); run the same command with"
                    + " the same DIR to continue where a stopped or killed run left off.")
    String checkpointDir;

    @Option(names = "--trigger", paramLabel = "WHEN",
            description = "available-now (the files there, then exit), once (them in one batch, then exit) or an"
                    + " interval such as 30s, 5m or 1h (a batch per interval until SIGTERM) (default:"
                    + " ${DEFAULT-VALUE}).")
    String trigger = "available-now";

    @Option(names = "--max-files-per-trigger", paramLabel = "N",
            description = "New files one micro-batch takes at most (default: all there are).")
    Integer maxFilesPerTrigger;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--max-records-per-trigger", paramLabel = "N",
            description = "With --format kafka: records one micro-batch takes at most (default: all there are).")
    Long maxRecordsPerTrigger;

    @Mixin
    JobOptions job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean fromKafka = KafkaOptions.namesKafka(input);
        StreamInput.Kafka topic = Validation.usage(() -> {
            kafka.validateSource(fromKafka, false);
            if (!fromKafka) {
                if (maxRecordsPerTrigger != null) {
                    throw new IllegalArgumentException("--max-records-per-trigger is for --format kafka; a stream of"
                            + " files takes --max-files-per-trigger");
                }
                return null;
            }
            if (!input.input.trim().equalsIgnoreCase(KafkaOptions.KAFKA)) {
                throw new IllegalArgumentException("--format kafka reads --topic; give --input kafka, not '"
                        + input.input + "'");
            }
            if (maxFilesPerTrigger != null) {
                throw new IllegalArgumentException("--max-files-per-trigger is for files; a Kafka stream takes"
                        + " --max-records-per-trigger");
            }
            if (input.features.isEmpty() && initModel == null) {
                throw new IllegalArgumentException("a Kafka stream reads the features it is told: give --features,"
                        + " or --init-model (its features)");
            }
            return new StreamInput.Kafka(kafka.bootstrap, kafka.topic, maxRecordsPerTrigger);
        });
        StreamInput.Settings where = Validation.usage(() -> {
            input.validate(fromKafka);
            step.validate();
            StreamTrigger.parse(trigger);
            if (decay != null && (matched("--step-exponent") || matched("--step-offset"))) {
                throw new IllegalArgumentException("--decay sets a constant step; drop --step-exponent and"
                        + " --step-offset, which shape the decreasing one");
            }
            options(k);
            return new StreamInput.Settings(input.input, fromKafka ? KafkaOptions.KAFKA
                    : StreamInput.formatOf(input.input, input.format), maxFilesPerTrigger);
        });
        if (job.dryRun.stopsHere("stream")) {
            return ExitCodes.OK;
        }
        String inputPath = fromKafka ? null : input.input;
        SparkSession session = job.session("mixspark stream", inputPath, initModel, checkpointDir);
        var conf = session.sparkContext().hadoopConfiguration();
        try {
            OutputDirectory.requireApart(job.output(), conf, inputPath, initModel, checkpointDir);
        } catch (IllegalArgumentException e) {
            throw new Validation.UsageException(e.getMessage());
        }
        ModelJson.Named given = initModel == null ? null : JobOutputs.readModel(initModel, conf);
        if (given != null && given.mixture().k() != k) {
            throw new Validation.UsageException("the initial model has k = " + given.mixture().k() + " components but"
                    + " --k is " + k + "; give the model's k, or drop --init-model");
        }
        CovarianceType type = CovarianceType.parse(covariance);
        if (given != null && given.mixture().covarianceType() != type) {
            throw new Validation.UsageException("the initial model is " + given.mixture().covarianceType().label()
                    + " but --covariance is " + type.label() + "; give the model's covariance model, or drop"
                    + " --init-model");
        }
        List<String> excluded = new ArrayList<>(input.carriedColumns());
        if (input.weightCol != null) {
            excluded.add(input.weightCol);
        }
        // A Kafka record's numbers: the features (the model's, else --features) and the weight.
        List<String> numbers = new ArrayList<>(given != null ? given.features() : input.features);
        if (input.weightCol != null) {
            numbers.add(input.weightCol);
        }
        InputTable.Source source = fromKafka ? StreamInput.source(topic, numbers, input.carriedColumns())
                : StreamInput.source(session, where, given == null ? null : given.features(), input.carriedColumns(),
                checkpointDir);
        List<String> features = features(source, given, excluded);
        if (type.univariate() && features.size() != 1) {
            throw new IllegalArgumentException("the covariance model " + type.id() + " is for one feature, the stream"
                    + " has " + features.size() + "; use " + (type == CovarianceType.E ? "EII" : "VII")
                    + " or another multivariate model");
        }
        InputValidation.Rules rules = InputValidation.Rules.following(input.invalidRows());
        Integer partitions = input.partitions;
        boolean stopOnBad = input.invalidRows() == InputValidation.InvalidRows.ERROR;
        Function<Dataset<Row>, InputTable.Features> featuresOf = batch -> {
            long bad = 0;
            if (fromKafka) {
                StreamInput.KafkaRows parsed = StreamInput.rows(batch, source, numbers, input.carriedColumns(),
                        stopOnBad);
                batch = parsed.rows();
                bad = parsed.badRecords();
            }
            Dataset<Row> rows = partitions == null ? batch : batch.repartition(partitions);
            InputTable.Features f = InputTable.features(rows, features, excluded, InputOptions.VECTOR_COLUMN, rules,
                    source);
            f.warnings().forEach(w -> System.out.println("warning: " + w));
            if (bad > 0) {
                System.out.println("warning: skipped " + bad + " bad Kafka record(s) (not a JSON object with a finite"
                        + " number for every feature); counted as malformedRows");
                f = new InputTable.Features(f.table(), f.vectorColumn(), f.names(), f.d(), f.skippedRows(),
                        f.malformedRows() + bad, f.droppedColumns(), f.warnings());
            }
            return f;
        };
        OnlineEmSink.Settings settings = new OnlineEmSink.Settings(options(k), features, InputOptions.VECTOR_COLUMN,
                input.weightCol, step.blockSize(), featuresOf);
        Mixture initial = given == null ? null : given.mixture();
        OnlineEmSink sink = OnlineEmSink.open(settings, checkpointDir, job.output(), job.output.overwrite, initial,
                conf);
        Dataset<Row> stream = fromKafka ? StreamInput.open(session, topic) : StreamInput.open(session, where, source);
        StreamQuery.run(stream, sink, StreamTrigger.parse(trigger), checkpointDir);
        System.out.println("stream stopped with " + sink.batchesApplied() + " batch(es) applied; " + job.output()
                + " holds model.json and metrics.json");
        return ExitCodes.OK;
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The online-EM options; throws IllegalArgumentException naming a bad value. */
    private OnlineEmOptions options(int components) {
        double ridge = step.ridgeOnly("stream", "online EM keeps shares of the rows, not counts, which give the"
                + " shrinkage no effective count");
        OnlineEmOptions.Builder b = OnlineEmOptions.builder(components, CovarianceType.parse(covariance))
                .maxK(maxK == null ? components : maxK).regCovar(ridge).stepExponent(stepExponent)
                .stepOffset(stepOffset).seed(seed).kernel(step.kernel());
        if (decay != null) {
            b.decay(decay);
        }
        if (novelty != null) {
            b.noveltyThreshold(novelty);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionSpelling(e.getMessage()), e);
        }
    }

    /** The options' own names in messages: "maxK must be ..." reads "--max-k must be ...". */
    private static String optionSpelling(String message) {
        return message.replace("maxK", "--max-k").replace("stepExponent", "--step-exponent")
                .replace("stepOffset", "--step-offset").replace("decay must", "--decay must")
                .replace("regCovar", "--reg-covar").replace("noveltyThreshold", "--novelty")
                .replaceFirst("^k must", "--k must");
    }

    /**
     * The feature columns: the model's (by name), else --features, else every numeric column of the
     * stream's schema that is not excluded; each must be a column of the schema.
     */
    private List<String> features(InputTable.Source source, ModelJson.Named given, List<String> excluded) {
        List<String> columns = List.of(source.schema().fieldNames());
        for (String name : excluded) {
            if (!columns.contains(name)) {
                throw new IllegalArgumentException("column '" + name + "' does not exist; columns: "
                        + String.join(", ", visible(columns)));
            }
        }
        List<String> names;
        if (given != null) {
            if (!input.features.isEmpty() && !new HashSet<>(input.features).equals(new HashSet<>(given.features()))) {
                throw new Validation.UsageException("--features " + input.features + " are not the initial model's"
                        + " features " + given.features() + "; they can be left out");
            }
            names = given.features();
        } else if (!input.features.isEmpty()) {
            names = input.features;
        } else {
            names = new ArrayList<>();
            for (StructField f : source.schema().fields()) {
                if (f.dataType() instanceof NumericType && !excluded.contains(f.name())) {
                    names.add(f.name());
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("no numeric feature columns; columns: "
                        + String.join(", ", visible(columns)));
            }
        }
        for (String name : names) {
            if (!columns.contains(name)) {
                throw new IllegalArgumentException("feature column '" + name + "' does not exist in " + source.path()
                        + "; columns: " + String.join(", ", visible(columns)));
            }
        }
        return List.copyOf(names);
    }

    private static List<String> visible(List<String> columns) {
        List<String> out = new ArrayList<>(columns);
        out.remove(InputTable.CORRUPT_RECORD);
        return out;
    }
}
