package io.mixspark.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.data.BatchedPasses;
import io.mixspark.data.Missingness;
import io.mixspark.data.RowCounts;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.io.InputTable;
import io.mixspark.io.OutputDirectory;
import io.mixspark.select.ModelSelection;
import io.mixspark.select.ModelSelection.Candidate;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Failure;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mixspark select}: a grid over k and covariance types, ranked by BIC, AIC or ICL. */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.mixspark.cli.SelectCommand",
        description = "Fit a grid of k and covariance types; keep the best by an information criterion.")
final class SelectCommand implements Callable<Integer> {

    /** The most fits a grid may ask for: each is a full EM fit, so more is a typo rather than a plan. */
    static final int MAX_GRID_FITS = 1000;

    /** The value of {@code --covariance} that names every covariance type. */
    static final String ALL_TYPES = "all";

    @Mixin
    InputOptions input;

    @Mixin
    MissingOptions missing;

    @Option(names = "--k", paramLabel = "RANGE",
            description = "Values of k: a range like 1..10 or a list like 2,4,8 (default: ${DEFAULT-VALUE}).")
    String ks = "1..10";

    @Option(names = "--covariance", split = ",", paramLabel = "TYPE",
            description = "Covariance models to try, comma-separated: " + CovarianceModels.NAMES
                    + "; or all: every model (E and V for one feature) (default: full,diag,spherical,tied).")
    List<String> covariances = new ArrayList<>(List.of("full", "diag", "spherical", "tied"));

    @Option(names = "--criterion", paramLabel = "NAME", description = "bic, aic or icl (default: ${DEFAULT-VALUE}).")
    String criterion = "bic";

    @Option(names = "--batch-memory", paramLabel = "MB",
            description = "Statistics one pass over the data may carry for the grid's fits, in MiB; a round whose"
                    + " fits need more runs in several passes, and 0 runs every fit's pass alone (default:"
                    + " ${DEFAULT-VALUE}).")
    int batchMemory = (int) (BatchedPasses.DEFAULT_MAX_BATCH_BYTES >> 20);

    @Mixin
    EmSettings em;

    @Mixin
    PartialResultOption partial;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() throws Exception {
        // The grid's size and the names are checked before the data is read, for the widest case (d > 1).
        List<CovarianceType> named = Validation.usage(() -> covarianceTypes(covariances, 2));
        List<Integer> kValues = Validation.usage(() -> parseKs(ks, named.size()));
        Criterion rank = Validation.usage(() -> Criterion.parse(criterion));
        long maxBatchBytes = Validation.usage(() -> maxBatchBytes(batchMemory));
        EmOptions base = Validation.usage(() -> {
            input.validate();
            input.requirePredictableColumns();
            missing.validate(em.blockStorage());
            int largest = kValues.stream().mapToInt(Integer::intValue).max().orElseThrow();
            named.forEach(em::requireShrinkable);
            EmOptions first = em.options(kValues.get(0), named.get(0));
            if (first.initMode() == InitMode.HC && first.hcSample() < largest) {
                throw new IllegalArgumentException("--hc-sample " + first.hcSample() + " is smaller than the largest k"
                        + " of the grid, " + largest + "; the hierarchical start needs at least k sampled rows");
            }
            return first;
        });
        if (job.dryRun.stopsHere("select")) {
            return ExitCodes.OK;
        }
        long start = System.nanoTime();
        SparkSession session = job.session("mixspark select", input.input);
        InputTable.Features features = input.load(session, missing);
        try (OutputDirectory out = job.outputDirectory(session, input.input);
             SparkBlockData data = new SparkBlockData(BlockPacker.pack(features.table(), features.vectorColumn(),
                     input.weightCol, features.d(), em.blockSize(), missing.forBlocks()), features.d(),
                     SparkBlockData.DEFAULT_AGGREGATION_DEPTH, em.blockStorage())
                     .warnings(message -> System.out.println("warning: " + message))) {
            requireKsWithinRows(kValues, data.aggregate(RowCounts.pass()).rows());
            Missingness missingness = missing.em() ? data.aggregate(Missingness.pass(features.d())) : null;
            if (missingness != null && missingness.rowsAllMissing() > 0) {
                System.out.println("warning: " + missingness.rowsAllMissing() + " rows have no observed feature value"
                        + " and were left out of the fits");
            }
            List<CovarianceType> types = covarianceTypes(covariances, features.d());
            ModelSelection.Selection selection = ModelSelection.select(data, kValues, types, base, rank,
                    new FitListener() {
                        @Override
                        public void warning(String message) {
                            System.out.println("warning: " + message);
                        }
                    }, maxBatchBytes);
            ArrayNode table = JobOutputs.JSON.createArrayNode();
            for (Candidate c : selection.candidates()) {
                ObjectNode row = table.addObject();
                row.put("k", c.k());
                row.put("covarianceType", c.covarianceType().id());
                row.put("bic", c.result().bic());
                row.put("bicMclust", -c.result().bic());
                row.put("df", c.result().model().parameterCount());
                row.put("aic", c.result().aic());
                row.put("icl", c.result().icl());
                row.put("meanLogLikelihood", c.result().meanLogLikelihood());
                row.put("iterations", c.result().iterations());
                row.put("converged", c.result().converged());
                System.out.printf(Locale.ROOT, "k=%-3d %-9s BIC %14.3f  AIC %14.3f  ICL %14.3f%n", c.k(),
                        c.covarianceType().id(), c.result().bic(), c.result().aic(), c.result().icl());
            }
            Candidate best = selection.best();
            ObjectNode summary = JobOutputs.JSON.createObjectNode();
            summary.put("criterion", rank.name().toLowerCase(Locale.ROOT));
            summary.putObject("chosen").put("k", best.k()).put("covarianceType", best.covarianceType().id());
            summary.set("candidates", table);
            summary.put("partial", selection.partial());
            ArrayNode failed = summary.putArray("failed");
            for (Failure f : selection.failures()) {
                failed.addObject().put("k", f.k()).put("covarianceType", f.covarianceType().id())
                        .put("kind", f.kind().id()).put("reason", f.reason());
            }
            JobOutputs.writeJson(out, "selection.json", summary);
            MixSparkGaussianMixtureModel model = new MixSparkGaussianMixtureModel("mixspark-gmm-select",
                    best.result().model());
            JobOutputs.writeModel(out, model, features.names(), best.result(), Map.of(), base.precision());
            JobOutputs.writePredictions(out, model, features.table(), input.carriedColumns());
            ObjectNode metrics = JobOutputs.fitMetrics("select", best.result(), (System.nanoTime() - start) / 1e9,
                    features.table().rdd().getNumPartitions(), features);
            JobOutputs.putKernelsUsed(metrics, data.kernelsUsed());
            metrics.put("gridPasses", selection.passes());
            metrics.put("precision", base.precision().id());
            if (missingness != null) {
                JobOutputs.putMissingness(metrics, missingness, features.names());
            }
            JobOutputs.writeJson(out, "metrics.json", metrics);
            out.commit();
            System.out.printf(Locale.ROOT, "chosen by %s: k=%d %s; wrote %s%n", summary.get("criterion").asText(),
                    best.k(), best.covarianceType().id(), job.output());
            return partial.exitCode(selection.partial() ? selection.failures().size() + " of "
                    + (selection.failures().size() + selection.candidates().size()) + " candidates of the grid could "
                    + "not be fitted (listed under \"failed\" in selection.json); the chosen model is the best of "
                    + "the rest" : null);
        }
    }

    /** {@code --batch-memory} in bytes; 0 MiB is one byte, which no pass fits beside another. */
    static long maxBatchBytes(int mebibytes) {
        if (mebibytes < 0) {
            throw new IllegalArgumentException("--batch-memory must be >= 0 (MiB), got " + mebibytes);
        }
        return mebibytes == 0 ? 1 : (long) mebibytes << 20;
    }

    /**
     * The covariance models named, in the order named; {@code all} alone names every model for
     * {@code d} features: mclust's 14 (EII ... VVV), or E and V for one feature. A model named
     * twice (under any of its names) is refused, as it would fit the same candidates twice.
     */
    static List<CovarianceType> covarianceTypes(List<String> names, int d) {
        if (names.stream().anyMatch(n -> n.trim().equalsIgnoreCase(ALL_TYPES))) {
            if (names.size() > 1) {
                throw new IllegalArgumentException("--covariance all names every covariance type; give it alone, got "
                        + String.join(",", names));
            }
            return d == 1 ? List.of(CovarianceType.E, CovarianceType.V) : CovarianceType.multivariate();
        }
        List<CovarianceType> out = new ArrayList<>();
        for (String name : names) {
            CovarianceType type = CovarianceType.parse(name);
            if (out.contains(type)) {
                throw new IllegalArgumentException("--covariance names " + type.label() + " twice");
            }
            out.add(type);
        }
        return out;
    }

    /**
     * {@code 1..10} or {@code 2,4,8}, refused before any list is built when the grid of those k
     * times {@code types} covariance types would exceed {@link #MAX_GRID_FITS} fits.
     */
    static List<Integer> parseKs(String text, int types) {
        List<Integer> out = new ArrayList<>();
        try {
            if (text.contains("..")) {
                String[] ends = text.split("\\.\\.", 2);
                int from = Integer.parseInt(ends[0].trim());
                int to = Integer.parseInt(ends[1].trim());
                requireGridSize((long) to - from + 1, types);
                for (long k = from; k <= to; k++) {
                    out.add((int) k);
                }
            } else {
                String[] parts = text.split(",");
                requireGridSize(parts.length, types);
                for (String part : parts) {
                    out.add(Integer.parseInt(part.trim()));
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--k must be a range like 1..10 or a list like 2,4,8, got '" + text + "'");
        }
        if (out.isEmpty() || out.stream().anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("--k must name values >= 1, got '" + text + "'");
        }
        return out;
    }

    private static void requireGridSize(long ks, int types) {
        if (ks * types > MAX_GRID_FITS) {
            throw new IllegalArgumentException("--k and --covariance make a grid of " + ks * types + " fits, more than "
                    + MAX_GRID_FITS + "; give fewer values of k");
        }
    }

    /** Each k must leave every component a row: k above the rows of the input is refused. */
    static void requireKsWithinRows(List<Integer> ks, long rows) {
        int largest = ks.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (largest > rows) {
            throw new IllegalArgumentException("--k names k = " + largest + ", more than the " + rows
                    + " rows of the input; give values of k up to " + rows);
        }
    }
}
