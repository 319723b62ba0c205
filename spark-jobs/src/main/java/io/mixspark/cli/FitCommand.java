package io.mixspark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.data.BlockStorage;
import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Prior;
import io.mixspark.io.HadoopCheckpointStore;
import io.mixspark.io.InputTable;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.online.IncrementalMemoryException;
import io.mixspark.online.MiniBatchOptions;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mixspark fit}: distributed EM, then model.json, model/, predictions/ and metrics.json. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit a Gaussian mixture by distributed EM; write the model, per-row predictions and metrics.")
final class FitCommand implements Callable<Integer> {

    @Mixin
    InputOptions input;

    @Mixin
    MissingOptions missing;

    @Option(names = "--k", required = true, paramLabel = "K", description = "Number of components.")
    int k;

    @Option(names = "--covariance", paramLabel = "TYPE",
            description = "Covariance model: " + CovarianceModels.NAMES + " (default: ${DEFAULT-VALUE}).")
    String covariance = "full";

    @Option(names = "--init-model", paramLabel = "PATH",
            description = "Start from this model.json (or a fit's output directory) instead of --init.")
    String initModel;

    @Mixin
    EmSettings em;

    @Mixin
    FitMethodOptions method;

    /** The mini-batch settings, or null for batch EM (set by validation). */
    private MiniBatchOptions miniBatch;

    @Mixin
    KnownLabelOptions knownLabels;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Save the fit's state here (any Hadoop URI), to resume it after a failure.")
    String checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Save a checkpoint every N iterations (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 5;

    @Option(names = "--resume",
            description = "Continue from the checkpoint in --checkpoint-dir, if there is one (else start afresh).")
    boolean resume;

    @Option(names = "--resume-mismatch", paramLabel = "WHAT",
            description = "When the checkpoint was written by another fit (other settings, features or data):"
                    + " fail (exit 3, saying what differs) or restart (warn and start afresh) (default:"
                    + " ${DEFAULT-VALUE}).")
    String resumeMismatch = "fail";

    @Mixin
    JobOptions job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EmOptions options = Validation.usage(() -> {
            input.validate();
            input.requirePredictableColumns();
            if (checkpointEvery < 1) {
                throw new IllegalArgumentException("--checkpoint-every must be >= 1, got " + checkpointEvery);
            }
            if (resume && checkpointDir == null) {
                throw new IllegalArgumentException("--resume needs --checkpoint-dir");
            }
            onMismatch();
            miniBatch = method.validate(emOnlyOptionGiven());
            if (!resume && spec.commandLine().getParseResult().hasMatchedOption("--resume-mismatch")) {
                throw new IllegalArgumentException("--resume-mismatch applies only with --resume (it says what resuming"
                        + " does with a checkpoint of another fit); add --resume, or drop --resume-mismatch");
            }
            missing.validate(em.blockStorage());
            knownLabels.validate(input.features);
            if (knownLabels.given() && em.blockStorage() == BlockStorage.FLOAT) {
                throw new IllegalArgumentException("--storage float does not keep known labels; use --storage double"
                        + " with --known-label-col");
            }
            EmOptions parsed = em.options(k, CovarianceType.parse(covariance));
            if (knownLabels.given() && parsed.initMode() == io.mixspark.em.InitMode.SMALL_EM) {
                throw new IllegalArgumentException("--init small-em starts from unlabelled short runs, which do not"
                        + " keep the components the known labels name; drop --init small-em with --known-label-col");
            }
            if (parsed.prior() != Prior.NONE && Prior.refusal(parsed.covarianceType()) != null) {
                throw new IllegalArgumentException("--prior " + parsed.prior().id() + ": "
                        + Prior.refusal(parsed.covarianceType()));
            }
            return parsed;
        });
        if (job.dryRun.stopsHere("fit")) {
            return ExitCodes.OK;
        }
        long start = System.nanoTime();
        SparkSession session = job.session("mixspark fit", input.input, initModel, checkpointDir);
        InputTable.Features loaded = input.load(session, missing,
                knownLabels.given() ? List.of(knownLabels.column) : List.of());
        KnownLabelOptions.Mapped known = knownLabels.given() ? knownLabels.apply(loaded.table(), options.k()) : null;
        InputTable.Features features = known == null ? loaded : loaded.withTable(known.table());
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture()
                .setFeaturesCol(InputOptions.VECTOR_COLUMN).setK(options.k()).setCovarianceType(covariance)
                .setMaxIter(options.maxIter()).setTol(options.tol()).setSeed(options.seed())
                .setInitMode(options.initMode().id()).setNInit(options.nInit()).setRegCovar(options.regCovar())
                .setHcSample(options.hcSample()).setPrior(options.prior().id()).setPrecision(options.precision().id())
                .setCovarianceShrinkage(options.shrinkage().id())
                .setKernel(options.kernel()).setBlockSize(em.blockSize()).setStorage(em.blockStorage().id())
                .setMissing(missing.forBlocks().id())
                .setWeightCol(input.weightCol == null ? "" : input.weightCol)
                .setKnownLabelCol(known == null ? "" : KnownLabelOptions.INDEX_COLUMN)
                .setLabelWeight(knownLabels.weight())
                .setListener(new ConsoleProgress(System.out, miniBatch == null ? options.maxIter()
                        : miniBatch.passes() + miniBatch.finishIterations()));
        if (miniBatch != null) {
            estimator.setOptimizer(MixSparkGaussianMixture.METHOD_MINIBATCH).setBatchRows(miniBatch.batchRows())
                    .setPasses(miniBatch.passes()).setFinishIterations(miniBatch.finishIterations())
                    .setMiniBatchUpdate(miniBatch.update().name().toLowerCase(Locale.ROOT));
        }
        if (checkpointDir != null) {
            estimator.setCheckpointPolicy(new EmCheckpoint.Policy(new HadoopCheckpointStore(checkpointDir,
                    session.sparkContext().hadoopConfiguration()), checkpointEvery, resume, features.names(),
                    onMismatch()));
        }
        if (initModel != null) {
            ModelJson.Named given = JobOutputs.readModel(initModel, session.sparkContext().hadoopConfiguration());
            if (!given.features().equals(features.names())) {
                throw new IllegalArgumentException("the initial model's features " + given.features()
                        + " differ from the input's " + features.names());
            }
            if (given.mixture().k() != options.k()) {
                throw new Validation.UsageException("the initial model has k = " + given.mixture().k() + " components but --k"
                        + " is " + options.k() + "; give the model's k, or drop --init-model");
            }
            estimator.setInitialModel(given.mixture());
        }
        try (OutputDirectory out = job.outputDirectory(session, input.input, initModel, checkpointDir)) {
            MixSparkGaussianMixtureModel model = fit(estimator, features.table(), miniBatch);
            EmResult fit = model.summary().result();
            JobOutputs.writeModel(out, model, features.names(), fit, known == null ? Map.of() : known.classes(),
                    options.precision());
            JobOutputs.writePredictions(out, model, features.table(), input.carriedColumns());
            double seconds = (System.nanoTime() - start) / 1e9;
            ObjectNode metrics = JobOutputs.fitMetrics("fit", fit, seconds, features.table().rdd().getNumPartitions(),
                    features);
            metrics.put("method", method.name());
            if (miniBatch != null) {
                metrics.put("passes", miniBatch.passes());
                metrics.put("batchRows", miniBatch.batchRows());
                metrics.put("finishIterations", miniBatch.finishIterations());
                metrics.put("update", miniBatch.update().name().toLowerCase(Locale.ROOT));
            }
            metrics.put("storage", model.summary().storage());
            metrics.put("precision", options.precision().id());
            metrics.put("cachedBytesPerRow", model.summary().cachedBytesPerRow());
            JobOutputs.putKernelsUsed(metrics, model.summary().kernelsUsed());
            model.summary().missingness().ifPresent(m -> JobOutputs.putMissingness(metrics, m, features.names()));
            if (known != null) {
                metrics.put("labelledRows", known.labelledRows());
            }
            JobOutputs.writeJson(out, "metrics.json", metrics);
            out.commit();
            String how = miniBatch == null ? String.format(Locale.ROOT, "%d iterations (%s)", fit.iterations(),
                    fit.converged() ? "converged" : "not converged")
                    : String.format(Locale.ROOT, "%d mini-batch passes and %d EM iterations", miniBatch.passes(),
                            fit.iterations() - miniBatch.passes());
            System.out.printf(Locale.ROOT, "fitted k=%d %s on %d rows in %s: mean log-likelihood %.6f, BIC %.2f;"
                    + " wrote %s%n", model.mixture().k(),
                    model.mixture().covarianceType().label(), fit.rows(), how, fit.meanLogLikelihood(), fit.bic(),
                    job.output());
        }
        return ExitCodes.OK;
    }

    /** The first option given that only batch EM has, or null. */
    private String emOnlyOptionGiven() {
        if (spec.commandLine().getParseResult().hasMatchedOption("--max-iter")) {
            return "--max-iter";
        }
        if (knownLabels.given()) {
            return "--known-label-col";
        }
        // Online-EM steps take the M-step without a prior: MAP estimates come from batch EM only.
        if (!Prior.NONE.id().equalsIgnoreCase(em.prior.trim())) {
            return "--prior " + em.prior;
        }
        // Online EM keeps shares of the rows, not counts, which give OAS no effective count.
        if (em.step.auto()) {
            return "--reg-covar auto";
        }
        return checkpointDir != null ? "--checkpoint-dir" : null;
    }

    private EmCheckpoint.OnMismatch onMismatch() {
        return switch (resumeMismatch.toLowerCase(Locale.ROOT)) {
            case "fail" -> EmCheckpoint.OnMismatch.FAIL;
            case "restart" -> EmCheckpoint.OnMismatch.RESTART;
            default -> throw new IllegalArgumentException("--resume-mismatch must be fail or restart, got '"
                    + resumeMismatch + "'");
        };
    }

    /** Fits, telling the user how to go past a checkpoint of another fit. */
    private static MixSparkGaussianMixtureModel fit(MixSparkGaussianMixture estimator, Dataset<Row> table,
                                                    MiniBatchOptions miniBatch) {
        try {
            return estimator.fit(table);
        } catch (IncrementalMemoryException e) {
            throw FitMethodOptions.tooManyGroups(e, miniBatch.batchRows());
        } catch (EmCheckpoint.MismatchException e) {
            throw new EmCheckpoint.MismatchException(e.getMessage() + "; pass --resume-mismatch restart to start"
                    + " afresh, or give another --checkpoint-dir");
        }
    }
}
