package io.mixspark.spark.ml;

import io.mixspark.data.BlockStorage;
import io.mixspark.gmm.Precision;
import io.mixspark.data.MissingValueMode;
import io.mixspark.data.Missingness;
import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Prior;
import io.mixspark.online.MiniBatchEm;
import io.mixspark.online.MiniBatchOptions;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.ml.param.HasCovarianceType;
import io.mixspark.spark.ml.param.HasMaxIter;
import io.mixspark.spark.ml.param.HasRegCovar;
import io.mixspark.spark.ml.param.HasWeightCol;
import io.mixspark.util.Ids;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed EM for Gaussian mixtures as a Spark ML Estimator: any of mclust's 14 covariance
 * models (full, diagonal, spherical and tied among them); k-means++, k-means||, random, SDP,
 * hierarchical (mclust's hc) or given-model starts; restarts; optionally mclust's conjugate prior (MAP estimates). Rows are
 * packed once into cached blocks and every EM iteration is one Spark job; with {@code optimizer}
 * {@code minibatch}, online-EM steps over groups of blocks take the place of most iterations
 * ({@link MiniBatchEm}); {@code maxIter} is then ignored: {@code passes} and
 * {@code finishIterations} (at most that many full EM iterations, fewer once {@code tol} holds)
 * bound the work, as {@code fit --method minibatch} refuses {@code --max-iter}. With {@code missing}
 * set to {@code em}, missing feature values (NaN) stay in the blocks and EM fits each row on its
 * observed values (missing at random). Named apart from
 * Spark's {@code org.apache.spark.ml.clustering.GaussianMixture}, which notebooks often import
 * beside it.
 */
public class MixSparkGaussianMixture extends MixSparkEstimator<MixSparkGaussianMixture> implements
        HasCovarianceType<MixSparkGaussianMixture>, HasMaxIter<MixSparkGaussianMixture>,
        HasRegCovar<MixSparkGaussianMixture>, HasWeightCol<MixSparkGaussianMixture> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MixSparkGaussianMixture.class);
    private static final String[] INIT_MODES = Ids.all(InitMode.values(), InitMode::id);
    /** The method of batch EM. */
    public static final String METHOD_EM = "em";
    /** The method of mini-batch EM ({@link MiniBatchEm}). */
    public static final String METHOD_MINIBATCH = "minibatch";
    private static final String[] METHODS = {METHOD_EM, METHOD_MINIBATCH};
    /** Mini-batch update rules, as {@code miniBatchUpdate} and {@code fit --update} spell them. */
    public static final String UPDATE_STOCHASTIC = "stochastic";
    public static final String UPDATE_INCREMENTAL = "incremental";
    private static final String[] UPDATES = {UPDATE_STOCHASTIC, UPDATE_INCREMENTAL};

    private transient Mixture initialModel;
    /** Null after Java deserialisation (it is transient): read it through {@link #listener()}. */
    private transient FitListener listener = FitListener.NONE;
    private transient EmCheckpoint.Policy checkpoints;

    public MixSparkGaussianMixture() {
        this(Identifiable$.MODULE$.randomUID("mixspark-gmm"));
    }

    public MixSparkGaussianMixture(String uid) {
        super(uid);
    }

    public Param<String> initMode() {
        return declare("initMode", p -> new Param<>(p, "initMode", "initialisation: " + String.join(", ", INIT_MODES),
                ParamValidators.inArray(INIT_MODES)), InitMode.AUTO.id());
    }

    public IntParam hcSample() {
        return declare("hcSample", p -> new IntParam(p, "hcSample", "rows sampled for initMode 'hc', at most (>= 2)",
                ParamValidators.gtEq(2)), EmOptions.DEFAULT_HC_SAMPLE);
    }

    public Param<String> prior() {
        String[] ids = Ids.all(Prior.values(), Prior::id);
        return declare("prior", p -> new Param<>(p, "prior", "the M-step's prior: none (maximum likelihood) or"
                + " default (mclust's conjugate prior, MAP estimates)", ParamValidators.inArray(ids)), Prior.NONE.id());
    }

    public Param<String> covarianceShrinkage() {
        String[] ids = Ids.all(CovarianceShrinkage.values(), CovarianceShrinkage::id);
        return declare("covarianceShrinkage", p -> new Param<>(p, "covarianceShrinkage", "none, or oas: the M-step"
                + " shrinks each VVV (full) or EEE (tied) covariance towards a multiple of the identity by the Oracle"
                + " Approximating Shrinkage intensity of its effective count, before regCovar is added (optimizer"
                + " 'em', without a prior)", ParamValidators.inArray(ids)), CovarianceShrinkage.NONE.id());
    }

    public IntParam nInit() {
        return declare("nInit", p -> new IntParam(p, "nInit", "restarts; the best log-likelihood wins (>= 1)",
                ParamValidators.gtEq(1)), 1);
    }

    public Param<String> storage() {
        String[] ids = Ids.all(BlockStorage.values(), BlockStorage::id);
        return declare("storage", p -> new Param<>(p, "storage", "cached values in double (8 bytes) or float"
                + " (4 bytes, each an offset from its block's column mean)", ParamValidators.inArray(ids)),
                BlockStorage.DOUBLE.id());
    }

    public Param<String> precision() {
        String[] ids = Ids.all(Precision.values(), Precision::id);
        return declare("precision", p -> new Param<>(p, "precision", "the likelihood kernel's arithmetic: double, or"
                + " float (products and scatters in float; log-determinants, log-sum-exp, statistics and M-step in"
                + " double)", ParamValidators.inArray(ids)), Precision.DOUBLE.id());
    }

    public Param<String> missing() {
        String[] ids = Ids.all(MissingValueMode.values(), MissingValueMode::id);
        return declare("missing", p -> new Param<>(p, "missing", "rows with missing feature values (NaN): error,"
                + " skip (leave them out), or em (keep them; EM uses each row's observed values)",
                ParamValidators.inArray(ids)), MissingValueMode.ERROR.id());
    }

    public Param<String> knownLabelCol() {
        return declare("knownLabelCol", p -> new Param<>(p, "knownLabelCol", "column of known components: a"
                + " component index (0..k-1) per row, null or negative where it is not known; those rows belong to"
                + " their component alone (semi-supervised EM); empty for none"), "");
    }

    public DoubleParam labelWeight() {
        return declare("labelWeight", p -> new DoubleParam(p, "labelWeight", "weight of each row whose component is"
                + " known, relative to the others (> 0)", ParamValidators.gt(0)), 1.0);
    }

    /** As Spark's LDA names its choice of "em" or "online"; SdpClustering's {@code method} is its relaxation. */
    public Param<String> optimizer() {
        return declare("optimizer", p -> new Param<>(p, "optimizer", "em (every iteration passes over all rows) or"
                + " minibatch (online EM steps over groups of cached blocks in a shuffled order)",
                ParamValidators.inArray(METHODS)), METHOD_EM);
    }

    public LongParam batchRows() {
        return declare("batchRows", p -> new LongParam(p, "batchRows", "minibatch: rows per online-EM step, in whole"
                + " blocks (>= 1)", ParamValidators.gtEq(1)), MiniBatchOptions.DEFAULT_BATCH_ROWS);
    }

    public IntParam passes() {
        return declare("passes", p -> new IntParam(p, "passes", "minibatch: passes over the data (>= 1)",
                ParamValidators.gtEq(1)), MiniBatchOptions.DEFAULT_PASSES);
    }

    public IntParam finishIterations() {
        return declare("finishIterations", p -> new IntParam(p, "finishIterations", "minibatch: full EM iterations"
                + " after the passes at most, fewer once EM's convergence test (tol) holds (>= 0); maxIter is"
                + " ignored under minibatch",
                ParamValidators.gtEq(0)),
                MiniBatchOptions.DEFAULT_FINISH_ITERATIONS);
    }

    public Param<String> miniBatchUpdate() {
        return declare("miniBatchUpdate", p -> new Param<>(p, "miniBatchUpdate", "minibatch: stochastic (online-EM"
                + " steps) or incremental (each group's last statistics replaced in the total; keeps groups x k x"
                + " d^2 numbers, refused beyond 256 MiB)", ParamValidators.inArray(UPDATES)), UPDATE_STOCHASTIC);
    }

    public IntParam aggregationDepth() {
        return declare("aggregationDepth", p -> new IntParam(p, "aggregationDepth", "depth of treeAggregate (>= 1)",
                ParamValidators.gtEq(1)), SparkBlockData.DEFAULT_AGGREGATION_DEPTH);
    }

    public MixSparkGaussianMixture setInitMode(String value) {
        return setParam(initMode(), InitMode.parse(value).id());
    }

    public MixSparkGaussianMixture setHcSample(int value) {
        return setParam(hcSample(), value);
    }

    public MixSparkGaussianMixture setPrior(String value) {
        return setParam(prior(), Prior.parse(value).id());
    }

    public MixSparkGaussianMixture setCovarianceShrinkage(String value) {
        return setParam(covarianceShrinkage(), CovarianceShrinkage.parse(value).id());
    }

    public MixSparkGaussianMixture setNInit(int value) {
        return setParam(nInit(), value);
    }

    public MixSparkGaussianMixture setStorage(String value) {
        return setParam(storage(), value);
    }

    public MixSparkGaussianMixture setPrecision(String value) {
        return setParam(precision(), value);
    }

    public String getPrecision() {
        return getOrDefault(precision());
    }

    public MixSparkGaussianMixture setMissing(String value) {
        return setParam(missing(), MissingValueMode.parse(value).id());
    }

    public MixSparkGaussianMixture setKnownLabelCol(String value) {
        return setParam(knownLabelCol(), value == null ? "" : value);
    }

    public MixSparkGaussianMixture setLabelWeight(double value) {
        return setParam(labelWeight(), value);
    }

    public MixSparkGaussianMixture setOptimizer(String value) {
        return setParam(optimizer(), value);
    }

    public MixSparkGaussianMixture setBatchRows(long value) {
        return setParam(batchRows(), value);
    }

    public MixSparkGaussianMixture setPasses(int value) {
        return setParam(passes(), value);
    }

    public MixSparkGaussianMixture setFinishIterations(int value) {
        return setParam(finishIterations(), value);
    }

    public MixSparkGaussianMixture setMiniBatchUpdate(String value) {
        return setParam(miniBatchUpdate(), value);
    }

    /** The mini-batch settings these params describe, or null for optimizer {@code em}. */
    public MiniBatchOptions miniBatchOptions() {
        if (!METHOD_MINIBATCH.equals(getOrDefault(optimizer()))) {
            return null;
        }
        return MiniBatchOptions.of((Long) getOrDefault(batchRows()), (Integer) getOrDefault(passes()),
                (Integer) getOrDefault(finishIterations())).withUpdate(UPDATE_INCREMENTAL.equals(
                        getOrDefault(miniBatchUpdate())) ? MiniBatchOptions.Update.INCREMENTAL
                        : MiniBatchOptions.Update.STOCHASTIC);
    }

    public MixSparkGaussianMixture setAggregationDepth(int value) {
        return setParam(aggregationDepth(), value);
    }

    /** Starts EM from this mixture (sets initMode to {@code model}, k and covarianceType to match). */
    public MixSparkGaussianMixture setInitialModel(Mixture model) {
        this.initialModel = model;
        setK(model.k());
        setCovarianceType(model.covarianceType().id());
        return setParam(initMode(), InitMode.MODEL.id());
    }

    /** Saves checkpoints while fitting and, if the policy says so, resumes from the latest one. */
    public MixSparkGaussianMixture setCheckpointPolicy(EmCheckpoint.Policy policy) {
        this.checkpoints = policy;
        return this;
    }

    /** Receives per-iteration progress on the driver (the log gets it too). */
    public MixSparkGaussianMixture setListener(FitListener value) {
        this.listener = value == null ? FitListener.NONE : value;
        return this;
    }

    /** The EM settings these params describe. */
    public EmOptions emOptions() {
        InitMode mode = InitMode.parse(getOrDefault(initMode()));
        if (mode == InitMode.MODEL && initialModel == null) {
            throw new IllegalArgumentException("initMode 'model' needs setInitialModel(...)");
        }
        return EmOptions.builder(getK(), CovarianceType.parse(getCovarianceType()))
                .maxIter(getMaxIter())
                .tol(getTol())
                .seed(getSeed())
                .initialModel(mode == InitMode.MODEL ? initialModel : null)
                .initMode(mode)
                .nInit((Integer) getOrDefault(nInit()))
                .regCovar(getRegCovar())
                .kernel(getKernel())
                .hcSample((Integer) getOrDefault(hcSample()))
                .prior(Prior.parse(getOrDefault(prior())))
                .shrinkage(CovarianceShrinkage.parse(getOrDefault(covarianceShrinkage())))
                .precision(Precision.of(getPrecision()))
                .build();
    }

    @Override
    public MixSparkGaussianMixtureModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        EmOptions options = emOptions();
        MissingValueMode missing = MissingValueMode.parse(getOrDefault(missing()));
        BlockStorage storage = BlockStorage.parse(getOrDefault(storage()));
        if (missing == MissingValueMode.EM && storage == BlockStorage.FLOAT) {
            // A float block stores offsets from its column means, which one NaN would make NaN.
            throw new IllegalArgumentException("storage 'float' cannot hold missing values; use storage 'double'"
                    + " with missing 'em'");
        }
        String knownLabels = getOrDefault(knownLabelCol());
        if (!knownLabels.isEmpty() && storage == BlockStorage.FLOAT) {
            throw new IllegalArgumentException("storage 'float' does not keep known labels; use storage 'double'"
                    + " with knownLabelCol");
        }
        MiniBatchOptions miniBatch = miniBatchOptions();
        if (miniBatch != null && checkpoints != null) {
            throw new IllegalArgumentException("checkpoints are for optimizer 'em'; mini-batch EM makes few passes and"
                    + " starts afresh");
        }
        String features = getFeaturesCol();
        int d = featureDimension(dataset);
        long start = System.nanoTime();
        FitListener heard = new LoggingFitListener(LOG, "EM iteration", listener());
        try (SparkBlockData data = new SparkBlockData(
                BlockPacker.pack(dataset, features, getWeightCol(), d, getBlockSize(), missing, knownLabels.isEmpty()
                        ? null : new BlockPacker.KnownLabels(knownLabels, (Double) getOrDefault(labelWeight()))),
                d, (Integer) getOrDefault(aggregationDepth()), storage).warnings(heard::warning)) {
            // One pass serves the fit (row counts, the start's fill) and, with missing 'em', the summary.
            Missingness counted = data.aggregate(Missingness.pass(d));
            Missingness missingness = missing == MissingValueMode.EM ? counted : null;
            if (missingness != null && missingness.rowsAllMissing() > 0) {
                heard.warning(missingness.rowsAllMissing() + " rows have no observed feature value and were left out"
                        + " of the fit");
            }
            EmResult result = miniBatch == null ? EmFitter.fit(data, options, heard, checkpoints, counted)
                    : MiniBatchEm.fit(data, options, miniBatch, heard, counted);
            return model(result.model(), new MixSparkGaussianMixtureSummary(result, (System.nanoTime() - start) / 1e9,
                    data.storage().id(), data.cachedBytes(), missingness, data.kernelsUsed()));
        }
    }

    private FitListener listener() {
        return listener == null ? FitListener.NONE : listener;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withClusteringOutputs(schema, getWeightCol(), getOrDefault(knownLabelCol()));
    }

    @Override
    public MixSparkGaussianMixture copy(ParamMap extra) {
        MixSparkGaussianMixture copy = (MixSparkGaussianMixture) defaultCopy(extra);
        copy.initialModel = initialModel;
        copy.listener = listener;
        copy.checkpoints = checkpoints;
        return copy;
    }

    public static MLReader<MixSparkGaussianMixture> read() {
        return new DefaultParamsReader<>();
    }

    public static MixSparkGaussianMixture load(String path) {
        return read().load(path);
    }
}
