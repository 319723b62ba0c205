package io.mixspark.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.data.DataBlock;
import io.mixspark.data.RowCounts;
import io.mixspark.em.EmResult;
import io.mixspark.federated.FederatedFit;
import io.mixspark.federated.LocalFit;
import io.mixspark.federated.LocalFitOptions;
import io.mixspark.federated.LocalFits;
import io.mixspark.federated.PrivacyOptions;
import io.mixspark.federated.RoundRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.io.InputTable;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.SparkSiteData;
import io.mixspark.spark.ml.FederatedGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mixspark federated}: a Gaussian mixture fitted to rows that stay split by site, by
 * one-shot aggregation of local fits, federated EM (optionally differentially private) or
 * personalized federated EM; then model.json, model/, predictions/ (with a site column) and
 * metrics.json (rounds, bytes, sites, privacy).
 */
@Command(name = "federated", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.mixspark.cli.FederatedCommand",
        description = "Fit a Gaussian mixture to rows split by site (one-shot, federated EM, personalized, "
                + "differentially private); write the model, predictions and metrics.")
final class FederatedCommand implements Callable<Integer> {

    @Option(names = "--mode", required = true, paramLabel = "MODE",
            description = "one-shot (local fits pooled and reduced), em (federated EM; private with --epsilon) or "
                    + "personalized (shared components, per-site weights and novelty).")
    String mode;

    @Mixin
    InputOptions input;

    @Option(names = "--site-col", paramLabel = "COL",
            description = "Site column (any type, by its string form) (default: one site per partition).")
    String siteCol;

    @Option(names = "--k", required = true, paramLabel = "K", description = "Components of the federated model.")
    int k;

    @Option(names = "--covariance", paramLabel = "TYPE",
            description = "Covariance model: " + CovarianceModels.NAMES + "; one-shot and private fits: full or diag"
                    + " (default: ${DEFAULT-VALUE}).")
    String covariance = "full";

    @Option(names = "--local-k", paramLabel = "K",
            description = "Components of every local fit (default: 4 x --k, fewer at a site with under d + 1 rows "
                    + "per component).")
    Integer localK;

    @Option(names = "--local-k-range", paramLabel = "RANGE",
            description = "Choose each site's local k by BIC in a range like 1..6 (instead of --local-k).")
    String localKRange;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Federated EM rounds at most: after one-shot (default 0), em and personalized (default "
                    + "100); private em runs exactly N (default 10).")
    Integer rounds;

    // Stops the local fits and the rounds; seeds the local fits, the random private start and the noise.
    @Mixin
    EmToleranceAndSeed toleranceAndSeed;

    @Option(names = "--init-model", paramLabel = "PATH",
            description = "Start em or personalized rounds from this model.json (or output directory); for a "
                    + "private fit, one fitted on public data (default: the one-shot reduction; private: random).")
    String initModel;

    @Option(names = "--epsilon", paramLabel = "X",
            description = "Differential privacy (mode em): total epsilon over all rounds; needs --delta and --clip.")
    Double epsilon;

    @Option(names = "--delta", paramLabel = "X", description = "Differential privacy delta, in (0, 1).")
    Double delta;

    @Option(names = "--clip", paramLabel = "B", description = "Clip every row to the L2 ball of radius B (> 0).")
    Double clip;

    @Option(names = "--noise", paramLabel = "WHERE",
            description = "Where the private noise is added: site (untrusted server) or server (trusted server or "
                    + "secure aggregation) (default: site).")
    String noise;

    @Mixin
    LocalEmOptions localEm;

    @Mixin
    EmStepOptions step;

    @Option(names = "--local-fits", paramLabel = "HOW",
            description = "tasks: each site's local fit runs in one Spark task (its rows must fit in memory); jobs: "
                    + "every local EM iteration is a Spark job over the site's blocks (default: ${DEFAULT-VALUE}).")
    String localFits = "tasks";

    @Mixin
    PartialResultOption partial;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() throws Exception {
        FederatedFit.Settings checked = Validation.usage(this::checkedSettings);
        if (job.dryRun.stopsHere("federated")) {
            return ExitCodes.OK;
        }
        long start = System.nanoTime();
        SparkSession session = job.session("mixspark federated");
        InputTable.Features features = input.load(session, siteCol == null ? List.of() : List.of(siteCol));
        FederatedFit.Settings settings = checked;
        if (initModel != null) {
            ModelJson.Named given = JobOutputs.readModel(initModel, session.sparkContext().hadoopConfiguration());
            if (!given.features().equals(features.names())) {
                throw new IllegalArgumentException("the initial model's features " + given.features()
                        + " differ from the input's " + features.names());
            }
            settings = Validation.usage(() -> settings(given.mixture()));
        }
        Dataset<Row> table = features.table();
        try (OutputDirectory out = job.outputDirectory(session, input.input, initModel);
             SparkSiteData data = new SparkSiteData(SparkSiteData.pack(table, features.vectorColumn(), siteCol,
                     input.weightCol, features.d(), step.blockSize()), features.d(),
                     SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
            System.out.printf(Locale.ROOT, "%d sites (%s), %s mode%n", data.sites().size(),
                    siteCol == null ? "one per partition" : "by column " + siteCol, settings.mode().id());
            FederatedFit.LocalFitter local = localFits.equals("jobs") ? LocalFits::fit
                    : (sites, groups, options, listener) -> data.fitSitesInTasks(groups, options, listener);
            FederatedFit.Outcome outcome = FederatedFit.run(data, data.pooled(), settings, local,
                    new ConsoleProgress(System.out, Math.max(1, settings.rounds())));
            EmResult fit = outcome.fit();
            MixSparkGaussianMixtureModel model = new MixSparkGaussianMixtureModel("mixspark-fedgmm", outcome.model());
            JobOutputs.writeModel(out, model, features.names(), fit);
            writePredictions(out, outcome, table, features.vectorColumn());
            double seconds = (System.nanoTime() - start) / 1e9;
            ObjectNode metrics = metrics(outcome, features, table.rdd().getNumPartitions(), seconds);
            JobOutputs.putKernelsUsed(metrics, data.kernelsUsed());
            JobOutputs.writeJson(out, "metrics.json", metrics);
            out.commit();
            System.out.printf(Locale.ROOT, "federated %s: k=%d %s over %d sites, %d rounds, %d bytes communicated: "
                            + "mean log-likelihood %.6f, BIC %.2f; wrote %s%n", settings.mode().id(),
                    outcome.model().k(), settings.type().id(), data.sites().size(), outcome.rounds().size(),
                    outcome.totalBytes(), fit.meanLogLikelihood(), fit.bic(), job.output());
            return partial.exitCode(outcome.partial() ? partialMessage(outcome) : null);
        }
    }

    /** What a partial one-shot model lacks. */
    private static String partialMessage(FederatedFit.Outcome outcome) {
        long rows = outcome.droppedSites().stream().mapToLong(LocalFits.DroppedSite::rows).sum();
        return outcome.droppedSites().size() + " of " + outcome.siteRows().size() + " sites could not be fitted "
                + "(listed under droppedSites in metrics.json); the one-shot model lacks their " + rows + " rows";
    }

    /** The settings the options describe; IllegalArgumentException for bad values or combinations. */
    /** The settings before any model is read, warning once about deprecated spellings. */
    FederatedFit.Settings checkedSettings() {
        FederatedFit.Settings settings = settings(null);
        localEm.warnAboutOldSpellings();
        return settings;
    }

    FederatedFit.Settings settings(Mixture initial) {
        input.validate();
        input.requirePredictableColumns();
        FederatedFit.Mode m = FederatedFit.Mode.parse(mode);
        CovarianceType type = CovarianceType.parse(covariance);
        step.validate();
        if (!localFits.equals("tasks") && !localFits.equals("jobs")) {
            throw new IllegalArgumentException("--local-fits must be tasks or jobs, got '" + localFits + "'");
        }
        if (siteCol != null && (siteCol.isBlank() || input.features.contains(siteCol))) {
            throw new IllegalArgumentException("--site-col must name a column that is not a feature, got '"
                    + siteCol + "'");
        }
        if (localK != null && localKRange != null) {
            throw new IllegalArgumentException("give --local-k or --local-k-range, not both");
        }
        if (localK != null && localK < 1) {
            throw new IllegalArgumentException("--local-k must be >= 1, got " + localK);
        }
        int fixedLocalK = localK != null ? localK : LocalFitOptions.overfitK(k);
        int[] local = localKRange != null ? FederatedGaussianMixture.parseRange(localKRange, "--local-k-range")
                : new int[] {fixedLocalK, fixedLocalK};
        PrivacyOptions privacy = privacy();
        if (initModel != null && m == FederatedFit.Mode.ONE_SHOT) {
            throw new IllegalArgumentException("--init-model applies to --mode em and personalized; one-shot starts "
                    + "from the local fits");
        }
        if (rounds != null && rounds < 0) {
            throw new IllegalArgumentException("--rounds must be >= 0, got " + rounds);
        }
        int r = rounds != null ? rounds : FederatedFit.Settings.defaultRounds(m, privacy != null);
        return new FederatedFit.Settings(m, k, type, local[0], local[1], r, toleranceAndSeed.tol,
                toleranceAndSeed.seed, localEm.maxIter(), localEm.nInit(),
                step.ridgeOnly("federated", "its M-steps pool the sites' statistics without shrinkage"), step.kernel(), privacy, initial);
    }

    private PrivacyOptions privacy() {
        if (epsilon == null) {
            if (delta != null || clip != null || noise != null) {
                throw new IllegalArgumentException("--delta, --clip and --noise apply only with --epsilon");
            }
            return null;
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("--epsilon must be > 0, got " + epsilon);
        }
        if (delta == null) {
            throw new IllegalArgumentException("--epsilon needs --delta (for example 1e-5)");
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("--delta must be in (0, 1), got " + delta);
        }
        if (clip == null) {
            throw new IllegalArgumentException("--epsilon needs --clip B, the largest row norm to keep");
        }
        if (!(clip > 0) || clip.isInfinite()) {
            throw new IllegalArgumentException("--clip must be a finite number > 0, got " + clip);
        }
        PrivacyOptions.NoisePlacement placement = switch (noise == null ? "site" : noise.toLowerCase(Locale.ROOT)) {
            case "site" -> PrivacyOptions.NoisePlacement.SITE;
            case "server" -> PrivacyOptions.NoisePlacement.SERVER;
            default -> throw new IllegalArgumentException("--noise must be site or server, got '" + noise + "'");
        };
        return PrivacyOptions.of(epsilon, delta, clip).withPlacement(placement).withSeed(toleranceAndSeed.seed);
    }

    /**
     * {@code predictions/}: the carried columns, {@code site}, {@code cluster} and
     * {@code probability}; a personalized fit scores each row with its site's own weights.
     */
    private void writePredictions(OutputDirectory out, FederatedFit.Outcome outcome, Dataset<Row> table,
                                  String vectorColumn) {
        Map<String, double[]> siteWeights = new HashMap<>();
        if (outcome.personalized() != null) {
            siteWeights.putAll(outcome.personalized().siteWeights());
        }
        UserDefinedFunction probability = functions.udf(new SiteScorer(outcome.model(), siteWeights),
                SQLDataTypes.VectorType());
        UserDefinedFunction argmax = functions.udf((UDF1<Vector, Integer>) p -> p.argmax(), DataTypes.IntegerType);
        List<String> carried = input.carriedColumns();
        String siteName = carried.contains("site") ? "federated_site" : "site";
        Dataset<Row> scored = table
                .withColumn("__mixspark_site", SparkSiteData.siteColumn(siteCol))
                .withColumn("__mixspark_probability", probability.apply(functions.col("__mixspark_site"),
                        functions.col(vectorColumn)));
        List<Column> columns = new ArrayList<>();
        carried.forEach(c -> columns.add(functions.col(c)));
        columns.add(functions.col("__mixspark_site").as(siteName));
        columns.add(argmax.apply(functions.col("__mixspark_probability")).as("cluster"));
        columns.add(org.apache.spark.ml.functions.vector_to_array(functions.col("__mixspark_probability"), "float64")
                .as("probability"));
        scored.select(columns.toArray(Column[]::new)).write().parquet(out.path("predictions"));
    }

    /** Posterior probabilities of a row under its site's mixture (the shared model by default). */
    private static final class SiteScorer implements UDF2<String, Vector, Vector>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Mixture shared;
        private final Map<String, double[]> siteWeights;
        private transient Map<String, Mixture> models;

        SiteScorer(Mixture shared, Map<String, double[]> siteWeights) {
            this.shared = shared;
            this.siteWeights = new HashMap<>(siteWeights);
        }

        @Override
        public Vector call(String site, Vector features) {
            Mixture m = modelOf(site);
            return Vectors.dense(Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, m,
                    DataBlock.of(features.toArray(), m.d())));
        }

        private Mixture modelOf(String site) {
            double[] w = site == null ? null : siteWeights.get(site);
            if (w == null) {
                return shared;
            }
            if (models == null) {
                models = new HashMap<>();
            }
            return models.computeIfAbsent(site, s -> {
                double[][] covs = new double[shared.k()][];
                for (int c = 0; c < shared.k(); c++) {
                    covs[c] = shared.covariance(c);
                }
                return new Mixture(shared.covarianceType(), w, shared.means(), covs);
            });
        }
    }

    /** {@code metrics.json}: mode, rounds, bytes, sites, and the personalized or private details. */
    private ObjectNode metrics(FederatedFit.Outcome o, InputTable.Features features, int partitions, double seconds) {
        FederatedFit.Settings s = o.settings();
        EmResult fit = o.fit();
        ObjectNode m = JobOutputs.JSON.createObjectNode();
        m.put("command", "federated");
        m.put("mode", s.mode().id());
        m.put("private", s.isPrivate());
        m.put("siteColumn", siteCol);
        m.put("sitesFrom", siteCol == null ? "partition" : "column");
        m.put("k", s.k());
        m.put("components", o.model().k());
        m.put("covarianceType", s.type().id());
        m.put("start", o.start());
        m.put("kernel", fit.kernel());
        m.put("rows", fit.rows());
        JobOutputs.putInput(m, features);
        m.put("totalWeight", fit.totalWeight());
        m.put("partitions", partitions);
        m.put("totalSeconds", seconds);
        m.put("meanLogLikelihood", fit.meanLogLikelihood());
        m.put("logLikelihood", fit.logLikelihood());
        m.put("bic", fit.bic());
        m.put("converged", o.converged());
        m.put("roundsRun", o.rounds().size());
        m.put("totalBytes", o.totalBytes());
        m.put("oneShotBytes", o.oneShotBytes());
        ArrayNode rounds = m.putArray("rounds");
        for (RoundRecord r : o.rounds()) {
            ObjectNode n = rounds.addObject();
            n.put("round", r.round());
            putFinite(n, "meanLogLikelihood", r.meanLogLikelihood());
            putFinite(n, "change", r.change());
            n.put("components", r.components());
            n.put("sites", r.sites());
            n.put("bytesDown", r.bytesDown());
            n.put("bytesUp", r.bytesUp());
            n.put("bytes", r.bytes());
            n.put("seconds", r.seconds());
        }
        Map<String, LocalFit> local = new LinkedHashMap<>();
        o.localFits().forEach(f -> local.put(f.site(), f));
        Map<String, String> pooledInto = o.pooledInto();
        if (o.reduction() != null) {
            ObjectNode one = m.putObject("oneShot");
            one.put("localK", FederatedFit.describeLocalK(s));
            one.put("sitesFitted", o.localFits().size());
            one.put("pooledComponents", o.localFits().stream().mapToInt(f -> f.result().model().k()).sum());
            one.put("reductionIterations", o.reduction().iterations());
            one.put("reductionConverged", o.reduction().converged());
            one.put("reductionObjective", o.reduction().objective());
            one.put("bytesUp", o.oneShotBytes());
        }
        m.put("partial", o.partial());
        ArrayNode dropped = m.putArray("droppedSites");
        for (LocalFits.DroppedSite d : o.droppedSites()) {
            dropped.addObject().put("site", d.site()).put("rows", d.rows()).put("reason", d.reason());
        }
        if (o.smallSites() != null) {
            FederatedFit.SmallSites small = o.smallSites();
            m.putObject("smallSites").put("count", small.count()).put("rows", small.rows())
                    .put("minRows", small.minRows()).put("action", small.action())
                    .put("targetRows", small.targetRows()).put("pseudoSites", small.pseudoSites().size());
        }
        ArrayNode sites = m.putArray("sites");
        for (Map.Entry<String, RowCounts> e : o.siteRows().entrySet()) {
            ObjectNode n = sites.addObject();
            n.put("site", e.getKey());
            n.put("rows", e.getValue().rows());
            n.put("totalWeight", e.getValue().totalWeight());
            LocalFit f = local.get(e.getKey());
            String unit = pooledInto.get(e.getKey());
            if (unit != null) {
                n.put("pooledInto", unit);
                f = local.get(unit);
            }
            if (f != null) {
                n.put("localK", f.result().model().k());
                n.put("localMeanLogLikelihood", f.result().meanLogLikelihood());
                if (!f.failures().isEmpty()) {
                    ArrayNode failed = n.putArray("failedLocalK");
                    f.failures().forEach(failed::add);
                }
            }
            if (o.personalized() != null) {
                ArrayNode w = n.putArray("weights");
                for (double v : o.personalized().siteWeights().get(e.getKey())) {
                    w.add(v);
                }
                putFinite(n, "novelty", o.personalized().novelty().get(e.getKey()));
            }
        }
        if (o.personalized() != null) {
            ObjectNode p = m.putObject("personalized");
            p.put("meanLogLikelihood", o.personalized().meanLogLikelihood());
            o.personalized().novelty().entrySet().stream().filter(e -> Double.isFinite(e.getValue()))
                    .min(Map.Entry.comparingByValue()).ifPresent(e -> p.put("mostNovelSite", e.getKey()));
        }
        if (o.privateFit() != null) {
            ObjectNode p = m.putObject("privacy");
            putFinite(p, "epsilon", o.privateFit().epsilon());
            putFinite(p, "requestedEpsilon", s.privacy().epsilon());
            p.put("delta", o.privateFit().delta());
            putFinite(p, "rho", o.privateFit().rho());
            p.put("noiseMultiplier", o.privateFit().noiseMultiplier());
            p.put("clip", s.privacy().clipNorm());
            p.put("noisePlacement", s.privacy().placement().name().toLowerCase(Locale.ROOT));
            p.put("note", "meanLogLikelihood, logLikelihood, bic and model.json's fit statistics are computed on "
                    + "the raw rows and are not covered by the privacy guarantee; only the model is.");
        }
        return m;
    }

    /** JSON has no NaN or infinity: those are written as null. */
    private static void putFinite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
