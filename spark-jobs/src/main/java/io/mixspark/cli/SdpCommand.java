package io.mixspark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.em.EmResult;
import io.mixspark.io.InputTable;
import io.mixspark.io.OutputDirectory;
import io.mixspark.sdp.SdpFit;
import io.mixspark.sdp.SdpSettings;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import io.mixspark.spark.ml.SdpClustering;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mixspark sdp}: SDP clustering, with the outputs of {@code fit}. */
@Command(name = "sdp", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.mixspark.cli.SdpCommand",
        description = "Cluster by the k-means SDP or iLA-SDP; write the model, per-row predictions and metrics.")
final class SdpCommand implements Callable<Integer> {

    @Mixin
    InputOptions input;

    @Option(names = "--k", required = true, paramLabel = "K", description = "Number of clusters.")
    int k;

    @Option(names = "--method", paramLabel = "NAME",
            description = "kmeans-sdp (Peng-Wei) or ila-sdp (likelihood-adjusted, per-cluster covariances) "
                    + "(default: ${DEFAULT-VALUE}).")
    String method = SdpSettings.Method.KMEANS_SDP.id();

    @Option(names = "--solver", paramLabel = "NAME",
            description = "dense (all rows on the driver, at most " + SdpSettings.DENSE_MAX_ROWS + "), sketch "
                    + "(a sample on the driver, lifted to every row) or burer-monteiro (distributed, kmeans-sdp) "
                    + "(default: ${DEFAULT-VALUE}).")
    String solver = SdpSettings.Solver.SKETCH.id();

    @Option(names = "--sketch-size", paramLabel = "ROWS",
            description = "Expected rows of the driver-side sample (default: ${DEFAULT-VALUE}).")
    int sketchSize = SdpSettings.DEFAULT_SKETCH_ROWS;

    // Solver settings, with their own defaults: not the EM options of the same names.
    @Option(names = "--tol", paramLabel = "X", description = "Solver tolerance (default: ${DEFAULT-VALUE}).")
    double tol = SdpSettings.DEFAULT_TOLERANCE;

    @Option(names = "--max-iter", paramLabel = "N", description = "Solver iterations at most (default: ${DEFAULT-VALUE}).")
    int maxIter = SdpSettings.DEFAULT_MAX_ITERATIONS;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sample, start and roundings (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    IlaSearchOptions ila;

    // The same options as EM's; here the kernel scores the lifted mixture (the help says so through
    // this command's resource bundle).
    @Mixin
    KernelOptions kernel;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() throws Exception {
        SdpSettings settings = Validation.usage(() -> {
            input.validate();
            input.requirePredictableColumns();
            if (input.weightCol != null) {
                throw new IllegalArgumentException("the SDP relaxations are unweighted; drop --weight-col");
            }
            kernel.validate();
            SdpSettings.Method parsed = SdpSettings.Method.parse(method);
            return new SdpSettings(parsed, SdpSettings.Solver.parse(solver), k, sketchSize, tol, maxIter, seed,
                    kernel.kernel(), ila.search(parsed));
        });
        if (job.dryRun.stopsHere("sdp")) {
            return ExitCodes.OK;
        }
        long start = System.nanoTime();
        SparkSession session = job.session("mixspark sdp", input.input);
        InputTable.Features features = input.load(session);
        SdpClustering estimator = new SdpClustering().setK(k).setMethod(settings.method().id())
                .setSolver(settings.solver().id()).setSketchSize(sketchSize).setTol(tol).setMaxIter(maxIter)
                .setSeed(seed).setKernel(kernel.kernel()).setBlockSize(kernel.blockSize)
                .setFeaturesCol(InputOptions.VECTOR_COLUMN);
        if (settings.method() == SdpSettings.Method.ILA_SDP) {
            // The estimator refuses iLA-SDP Params set for the k-means SDP.
            estimator.setIlaSearch(settings.ila());
        }
        try (OutputDirectory out = job.outputDirectory(session, input.input)) {
            MixSparkGaussianMixtureModel model = estimator.fit(features.table());
            EmResult evaluation = model.summary().result();
            JobOutputs.writeModel(out, model, features.names(), evaluation);
            JobOutputs.writePredictions(out, model, features.table(), input.carriedColumns());
            double seconds = (System.nanoTime() - start) / 1e9;
            ObjectNode metrics = JobOutputs.fitMetrics("sdp", evaluation, seconds,
                    features.table().rdd().getNumPartitions(), features);
            JobOutputs.putKernelsUsed(metrics, model.summary().kernelsUsed());
            SdpFit.Outcome outcome = estimator.lastOutcome();
            ObjectNode sdp = metrics.putObject("sdp");
            outcome.diagnostics().forEach((key, value) -> sdp.set(key, JobOutputs.JSON.valueToTree(value)));
            JobOutputs.writeJson(out, "metrics.json", metrics);
            out.commit();
            System.out.printf(Locale.ROOT, "clustered %d rows into k=%d by %s (%s solver): mean log-likelihood of the"
                            + " lifted mixture %.6f; wrote %s%n", evaluation.rows(), k, settings.method().id(),
                    settings.solver().id(), evaluation.meanLogLikelihood(), job.output());
        }
        return ExitCodes.OK;
    }
}
