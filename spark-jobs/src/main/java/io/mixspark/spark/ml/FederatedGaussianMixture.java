package io.mixspark.spark.ml;

import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.federated.LocalFitOptions;
import io.mixspark.federated.PrivacyOptions;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.spark.BlockPacker;
import io.mixspark.federated.FederatedFit;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.SparkSiteData;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federated Gaussian mixtures as a Spark ML Estimator: the rows stay split by a site column (or
 * by partition), and only local mixtures or per-site statistics are combined. The modes are
 * {@code one-shot} (local fits pooled and reduced, then {@code rounds} federated EM rounds),
 * {@code em} (federated EM, equal to centralised EM from the same start; differentially private
 * when {@code epsilon} > 0) and {@code personalized} (shared components, per-site weights);
 * see {@link FederatedFit}. The result is the ordinary {@link GaussianMixtureModel}, whose summary
 * is the final model's E-step over all rows; {@link #fitDetailed} also returns the federated
 * details (rounds, bytes, local fits, per-site weights and novelty, privacy spent).
 */
public final class FederatedGaussianMixture extends Estimator<GaussianMixtureModel>
        implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FederatedGaussianMixture.class);

    private final String uid;
    private final IntParam k;
    private final Param<String> covarianceType;
    private final Param<String> mode;
    private final Param<String> siteCol;
    private final IntParam rounds;
    private final DoubleParam tol;
    private final LongParam seed;
    private final IntParam localK;
    private final Param<String> localKRange;
    private final DoubleParam epsilon;
    private final DoubleParam delta;
    private final DoubleParam clip;
    private final DoubleParam regCovar;
    private final Param<String> kernel;
    private final IntParam blockSize;
    private final Param<String> weightCol;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private transient Mixture initialModel;
    private transient FitListener listener = FitListener.NONE;

    /** A fitted model with everything the federated fit reported. */
    public record Fitted(GaussianMixtureModel model, FederatedFit.Outcome outcome) {
    }

    public FederatedGaussianMixture() {
        this(Identifiable$.MODULE$.randomUID("mixspark-fedgmm"));
    }

    public FederatedGaussianMixture(String uid) {
        this.uid = uid;
        k = new IntParam(this, "k", "number of components (>= 1)", ParamValidators.gtEq(1));
        covarianceType = new Param<>(this, "covarianceType",
                "covariance type: full, diag, spherical or tied (one-shot and private: full or diag)",
                ParamValidators.inArray(new String[] {"full", "diag", "spherical", "tied"}));
        mode = new Param<>(this, "mode", "federated algorithm: one-shot, em or personalized",
                ParamValidators.inArray(new String[] {"one-shot", "em", "personalized"}));
        siteCol = new Param<>(this, "siteCol", "site column (any type, by its string form); empty: one site per "
                + "partition");
        rounds = new IntParam(this, "rounds", "federated rounds at most (private: exactly); -1 for the mode's "
                + "default: 0 after one-shot, 10 private, 100 otherwise", ParamValidators.gtEq(-1));
        tol = new DoubleParam(this, "tol", "stop local fits and rounds when the mean log-likelihood per row "
                + "changes by less (>= 0)", ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "seed of the local fits, the random private start and the noise");
        localK = new IntParam(this, "localK", "components of every local fit; 0 for 4k", ParamValidators.gtEq(0));
        localKRange = new Param<>(this, "localKRange", "local k chosen per site by BIC in a range like 1..6; "
                + "empty for the fixed localK");
        epsilon = new DoubleParam(this, "epsilon", "differential privacy target epsilon (mode em); 0 for no "
                + "privacy, Infinity to clip without noise", ParamValidators.gtEq(0));
        delta = new DoubleParam(this, "delta", "differential privacy target delta in (0, 1); required with epsilon",
                ParamValidators.inRange(0, 1, true, false));
        clip = new DoubleParam(this, "clip", "clipping norm B of every row (> 0); required with epsilon",
                ParamValidators.gtEq(0));
        regCovar = new DoubleParam(this, "regCovar", "added to every variance in the M-step (>= 0)",
                ParamValidators.gtEq(0));
        kernel = new Param<>(this, "kernel", "likelihood kernel: auto, java, or a native backend");
        blockSize = new IntParam(this, "blockSize", "rows per cached block (>= 1)", ParamValidators.gtEq(1));
        weightCol = new Param<>(this, "weightCol", "row weight column; empty for unit weights");
        featuresCol = SharedParams.featuresCol(this);
        predictionCol = SharedParams.predictionCol(this);
        probabilityCol = SharedParams.probabilityCol(this);
        setDefault(k, 2);
        setDefault(covarianceType, "full");
        setDefault(mode, "one-shot");
        setDefault(siteCol, "");
        setDefault(rounds, -1);
        setDefault(tol, EmOptions.DEFAULT_TOL);
        setDefault(seed, 0L);
        setDefault(localK, 0);
        setDefault(localKRange, "");
        setDefault(epsilon, 0.0);
        setDefault(delta, 0.0);
        setDefault(clip, 0.0);
        setDefault(regCovar, EmOptions.DEFAULT_REG_COVAR);
        setDefault(kernel, Kernels.AUTO);
        setDefault(blockSize, BlockPacker.DEFAULT_BLOCK_ROWS);
        setDefault(weightCol, "");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    public IntParam k() {
        return k;
    }

    public Param<String> covarianceType() {
        return covarianceType;
    }

    public Param<String> mode() {
        return mode;
    }

    public Param<String> siteCol() {
        return siteCol;
    }

    public IntParam rounds() {
        return rounds;
    }

    public DoubleParam tol() {
        return tol;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam localK() {
        return localK;
    }

    public Param<String> localKRange() {
        return localKRange;
    }

    public DoubleParam epsilon() {
        return epsilon;
    }

    public DoubleParam delta() {
        return delta;
    }

    public DoubleParam clip() {
        return clip;
    }

    public DoubleParam regCovar() {
        return regCovar;
    }

    public Param<String> kernel() {
        return kernel;
    }

    public IntParam blockSize() {
        return blockSize;
    }

    public Param<String> weightCol() {
        return weightCol;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public FederatedGaussianMixture setK(int value) {
        return (FederatedGaussianMixture) set(k, value);
    }

    public FederatedGaussianMixture setCovarianceType(String value) {
        return (FederatedGaussianMixture) set(covarianceType, value.toLowerCase(Locale.ROOT));
    }

    public FederatedGaussianMixture setMode(String value) {
        return (FederatedGaussianMixture) set(mode, FederatedFit.Mode.parse(value).id());
    }

    public FederatedGaussianMixture setSiteCol(String value) {
        return (FederatedGaussianMixture) set(siteCol, value == null ? "" : value);
    }

    public FederatedGaussianMixture setRounds(int value) {
        return (FederatedGaussianMixture) set(rounds, value);
    }

    public FederatedGaussianMixture setTol(double value) {
        return (FederatedGaussianMixture) set(tol, value);
    }

    public FederatedGaussianMixture setSeed(long value) {
        return (FederatedGaussianMixture) set(seed, value);
    }

    public FederatedGaussianMixture setLocalK(int value) {
        return (FederatedGaussianMixture) set(localK, value);
    }

    public FederatedGaussianMixture setLocalKRange(String value) {
        return (FederatedGaussianMixture) set(localKRange, value == null ? "" : value);
    }

    public FederatedGaussianMixture setEpsilon(double value) {
        return (FederatedGaussianMixture) set(epsilon, value);
    }

    public FederatedGaussianMixture setDelta(double value) {
        return (FederatedGaussianMixture) set(delta, value);
    }

    public FederatedGaussianMixture setClip(double value) {
        return (FederatedGaussianMixture) set(clip, value);
    }

    public FederatedGaussianMixture setRegCovar(double value) {
        return (FederatedGaussianMixture) set(regCovar, value);
    }

    public FederatedGaussianMixture setKernel(String value) {
        return (FederatedGaussianMixture) set(kernel, value);
    }

    public FederatedGaussianMixture setBlockSize(int value) {
        return (FederatedGaussianMixture) set(blockSize, value);
    }

    public FederatedGaussianMixture setWeightCol(String value) {
        return (FederatedGaussianMixture) set(weightCol, value == null ? "" : value);
    }

    public FederatedGaussianMixture setFeaturesCol(String value) {
        return (FederatedGaussianMixture) set(featuresCol, value);
    }

    public FederatedGaussianMixture setPredictionCol(String value) {
        return (FederatedGaussianMixture) set(predictionCol, value);
    }

    public FederatedGaussianMixture setProbabilityCol(String value) {
        return (FederatedGaussianMixture) set(probabilityCol, value);
    }

    /**
     * Starts em or personalized rounds from this mixture instead of the one-shot reduction (sets
     * k and covarianceType to match). For a private fit it must not depend on the private rows.
     */
    public FederatedGaussianMixture setInitialModel(Mixture model) {
        this.initialModel = model;
        set(k, model.k());
        return (FederatedGaussianMixture) set(covarianceType, model.covarianceType().id());
    }

    /** Receives per-round progress and warnings on the driver (the log gets them too). */
    public FederatedGaussianMixture setListener(FitListener value) {
        this.listener = value == null ? FitListener.NONE : value;
        return this;
    }

    public int getK() {
        return (Integer) getOrDefault(k);
    }

    public String getMode() {
        return getOrDefault(mode);
    }

    public String getSiteCol() {
        return getOrDefault(siteCol);
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    /** The settings these params describe; throws IllegalArgumentException for a bad combination. */
    public FederatedFit.Settings settings() {
        FederatedFit.Mode m = FederatedFit.Mode.parse(getMode());
        CovarianceType type = CovarianceType.parse(getOrDefault(covarianceType));
        int[] local = localKs();
        double eps = (Double) getOrDefault(epsilon);
        PrivacyOptions privacy = null;
        if (eps > 0) {
            double b = (Double) getOrDefault(clip);
            double dl = (Double) getOrDefault(delta);
            if (!(dl > 0)) {
                throw new IllegalArgumentException("epsilon needs delta in (0, 1), got " + dl);
            }
            if (!(b > 0)) {
                throw new IllegalArgumentException("epsilon needs a clipping norm clip > 0, got " + b);
            }
            privacy = PrivacyOptions.of(eps, dl, b).withSeed((Long) getOrDefault(seed));
        }
        int r = (Integer) getOrDefault(rounds);
        return new FederatedFit.Settings(m, getK(), type, local[0], local[1],
                r < 0 ? FederatedFit.Settings.defaultRounds(m, privacy != null) : r, (Double) getOrDefault(tol),
                (Long) getOrDefault(seed), EmOptions.DEFAULT_MAX_ITER, 1, (Double) getOrDefault(regCovar),
                getOrDefault(kernel), privacy, initialModel);
    }

    private int[] localKs() {
        String range = getOrDefault(localKRange).trim();
        if (range.isEmpty()) {
            int fixed = (Integer) getOrDefault(localK);
            int value = fixed == 0 ? LocalFitOptions.overfitK(getK()) : fixed;
            return new int[] {value, value};
        }
        return parseRange(range, "localKRange");
    }

    /** {@code 1..6} (or a single number) as {min, max}. */
    public static int[] parseRange(String text, String name) {
        try {
            String[] ends = text.contains("..") ? text.split("\\.\\.", 2) : new String[] {text, text};
            int from = Integer.parseInt(ends[0].trim());
            int to = Integer.parseInt(ends[1].trim());
            if (from < 1 || to < from) {
                throw new IllegalArgumentException(name + " must be a range like 1..6 with 1 <= min <= max, got '"
                        + text + "'");
            }
            return new int[] {from, to};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a range like 1..6, got '" + text + "'");
        }
    }

    @Override
    public GaussianMixtureModel fit(Dataset<?> dataset) {
        return fitDetailed(dataset).model();
    }

    /** Fits and returns the model with the federated details. */
    public Fitted fitDetailed(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        FederatedFit.Settings settings = settings();
        long start = System.nanoTime();
        try (SparkSiteData data = SparkSiteData.fromDataFrame(dataset, getFeaturesCol(), getSiteCol(),
                getOrDefault(weightCol), (Integer) getOrDefault(blockSize),
                SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
            LOG.info("federated {} fit over {} sites", settings.mode().id(), data.sites().size());
            FederatedFit.Outcome outcome = FederatedFit.run(data, data.pooled(), settings,
                    (sites, options, l) -> data.fitSitesInTasks(options, l), new LoggingListener(listener));
            GaussianMixtureModel model = new GaussianMixtureModel(uid, outcome.model());
            copyValues(model, ParamMap.empty());
            model.setSummary(new GaussianMixtureSummary(outcome.fit(), (System.nanoTime() - start) / 1e9));
            model.setParent(this);
            return new Fitted(model, outcome);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SharedParams.requireVectorColumn(schema, getFeaturesCol());
        for (String column : new String[] {getOrDefault(weightCol), getSiteCol()}) {
            if (!column.isEmpty() && !Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("column '" + column + "' does not exist; columns: "
                        + String.join(", ", schema.fieldNames()));
            }
        }
        return SharedParams.withOutputs(schema, getFeaturesCol(), getOrDefault(predictionCol),
                getOrDefault(probabilityCol));
    }

    @Override
    public FederatedGaussianMixture copy(ParamMap extra) {
        FederatedGaussianMixture copy = (FederatedGaussianMixture) defaultCopy(extra);
        copy.initialModel = initialModel;
        copy.listener = listener;
        return copy;
    }

    public static MLReader<FederatedGaussianMixture> read() {
        return new DefaultParamsReader<>();
    }

    public static FederatedGaussianMixture load(String path) {
        return read().load(path);
    }

    /** Logs every round and forwards it to the caller's listener. */
    private record LoggingListener(FitListener delegate) implements FitListener {
        @Override
        public void iteration(int restart, IterationRecord r) {
            LOG.info(String.format(Locale.ROOT, "federated round %d: mean log-likelihood %.10g, change %.3g, %.3f s",
                    r.iteration(), r.meanLogLikelihood(), r.change(), r.seconds()));
            delegate.iteration(restart, r);
        }

        @Override
        public void warning(String message) {
            LOG.warn(message);
            delegate.warning(message);
        }
    }
}
