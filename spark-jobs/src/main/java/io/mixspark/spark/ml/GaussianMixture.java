package io.mixspark.spark.ml;

import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.EmFitter;
import io.mixspark.data.BlockStorage;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SparkBlockData;
import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed EM for Gaussian mixtures as a Spark ML Estimator: full, diagonal, spherical or
 * tied covariances; k-means++, k-means||, random or given-model starts; restarts. Rows are packed
 * once into cached blocks and every EM iteration is one Spark job.
 */
public final class GaussianMixture extends Estimator<GaussianMixtureModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GaussianMixture.class);

    private final String uid;
    private final IntParam k;
    private final Param<String> covarianceType;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final LongParam seed;
    private final Param<String> initMode;
    private final IntParam nInit;
    private final DoubleParam regCovar;
    private final Param<String> weightCol;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> kernel;
    private final IntParam blockSize;
    private final Param<String> storage;
    private final IntParam aggregationDepth;
    private transient Mixture initialModel;
    private transient FitListener listener = FitListener.NONE;
    private transient EmCheckpoint.Policy checkpoints;

    public GaussianMixture() {
        this(Identifiable$.MODULE$.randomUID("mixspark-gmm"));
    }

    public GaussianMixture(String uid) {
        this.uid = uid;
        k = new IntParam(this, "k", "number of components (>= 1)", ParamValidators.gtEq(1));
        covarianceType = new Param<>(this, "covarianceType", "covariance type: full, diag, spherical or tied",
                ParamValidators.inArray(new String[] {"full", "diag", "spherical", "tied"}));
        maxIter = new IntParam(this, "maxIter", "maximum EM iterations (>= 1)", ParamValidators.gtEq(1));
        tol = new DoubleParam(this, "tol", "stop when the mean log-likelihood per row changes by less (>= 0)",
                ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "random seed");
        initMode = new Param<>(this, "initMode", "initialisation: auto, kmeans++, kmeans||, random, sdp or model",
                ParamValidators.inArray(new String[] {"auto", "kmeans++", "kmeans||", "random", "sdp", "model"}));
        nInit = new IntParam(this, "nInit", "restarts; the best log-likelihood wins (>= 1)", ParamValidators.gtEq(1));
        regCovar = new DoubleParam(this, "regCovar", "added to every variance in the M-step (>= 0)",
                ParamValidators.gtEq(0));
        weightCol = new Param<>(this, "weightCol", "row weight column; empty for unit weights");
        featuresCol = SharedParams.featuresCol(this);
        predictionCol = SharedParams.predictionCol(this);
        probabilityCol = SharedParams.probabilityCol(this);
        kernel = new Param<>(this, "kernel", "likelihood kernel: auto, java, or a native backend");
        blockSize = new IntParam(this, "blockSize", "rows per cached block (>= 1)", ParamValidators.gtEq(1));
        storage = new Param<>(this, "storage", "cached values in double (8 bytes) or float (4 bytes, each an offset"
                + " from its block's column mean)", ParamValidators.inArray(
                java.util.Arrays.stream(BlockStorage.values()).map(BlockStorage::id).toArray(String[]::new)));
        aggregationDepth = new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 1)",
                ParamValidators.gtEq(1));
        setDefault(k, 2);
        setDefault(covarianceType, "full");
        setDefault(maxIter, EmOptions.DEFAULT_MAX_ITER);
        setDefault(tol, EmOptions.DEFAULT_TOL);
        setDefault(seed, 0L);
        setDefault(initMode, "auto");
        setDefault(nInit, 1);
        setDefault(regCovar, EmOptions.DEFAULT_REG_COVAR);
        setDefault(weightCol, "");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(kernel, Kernels.AUTO);
        setDefault(blockSize, BlockPacker.DEFAULT_BLOCK_ROWS);
        setDefault(storage, BlockStorage.DOUBLE.id());
        setDefault(aggregationDepth, SparkBlockData.DEFAULT_AGGREGATION_DEPTH);
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

    public IntParam maxIter() {
        return maxIter;
    }

    public DoubleParam tol() {
        return tol;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> initMode() {
        return initMode;
    }

    public IntParam nInit() {
        return nInit;
    }

    public DoubleParam regCovar() {
        return regCovar;
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

    public Param<String> kernel() {
        return kernel;
    }

    public IntParam blockSize() {
        return blockSize;
    }

    public Param<String> storage() {
        return storage;
    }

    public IntParam aggregationDepth() {
        return aggregationDepth;
    }

    public GaussianMixture setK(int value) {
        return (GaussianMixture) set(k, value);
    }

    public GaussianMixture setCovarianceType(String value) {
        return (GaussianMixture) set(covarianceType, value.toLowerCase(Locale.ROOT));
    }

    public GaussianMixture setMaxIter(int value) {
        return (GaussianMixture) set(maxIter, value);
    }

    public GaussianMixture setTol(double value) {
        return (GaussianMixture) set(tol, value);
    }

    public GaussianMixture setSeed(long value) {
        return (GaussianMixture) set(seed, value);
    }

    public GaussianMixture setInitMode(String value) {
        return (GaussianMixture) set(initMode, InitMode.parse(value).id());
    }

    public GaussianMixture setNInit(int value) {
        return (GaussianMixture) set(nInit, value);
    }

    public GaussianMixture setRegCovar(double value) {
        return (GaussianMixture) set(regCovar, value);
    }

    public GaussianMixture setWeightCol(String value) {
        return (GaussianMixture) set(weightCol, value);
    }

    public GaussianMixture setFeaturesCol(String value) {
        return (GaussianMixture) set(featuresCol, value);
    }

    public GaussianMixture setPredictionCol(String value) {
        return (GaussianMixture) set(predictionCol, value);
    }

    public GaussianMixture setProbabilityCol(String value) {
        return (GaussianMixture) set(probabilityCol, value);
    }

    public GaussianMixture setKernel(String value) {
        return (GaussianMixture) set(kernel, value);
    }

    public GaussianMixture setBlockSize(int value) {
        return (GaussianMixture) set(blockSize, value);
    }

    public GaussianMixture setStorage(String value) {
        return (GaussianMixture) set(storage, value);
    }

    public GaussianMixture setAggregationDepth(int value) {
        return (GaussianMixture) set(aggregationDepth, value);
    }

    /** Starts EM from this mixture (sets initMode to {@code model}, k and covarianceType to match). */
    public GaussianMixture setInitialModel(Mixture model) {
        this.initialModel = model;
        set(k, model.k());
        set(covarianceType, model.covarianceType().id());
        return (GaussianMixture) set(initMode, InitMode.MODEL.id());
    }

    /** Saves checkpoints while fitting and, if the policy says so, resumes from the latest one. */
    public GaussianMixture setCheckpointPolicy(EmCheckpoint.Policy policy) {
        this.checkpoints = policy;
        return this;
    }

    /** Receives per-iteration progress on the driver (the log gets it too). */
    public GaussianMixture setListener(FitListener value) {
        this.listener = value == null ? FitListener.NONE : value;
        return this;
    }

    public int getK() {
        return (Integer) getOrDefault(k);
    }

    public String getCovarianceType() {
        return getOrDefault(covarianceType);
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    /** The EM settings these params describe. */
    public EmOptions emOptions() {
        InitMode mode = InitMode.parse(getOrDefault(initMode));
        if (mode == InitMode.MODEL && initialModel == null) {
            throw new IllegalArgumentException("initMode 'model' needs setInitialModel(...)");
        }
        return EmOptions.builder(getK(), CovarianceType.parse(getCovarianceType()))
                .maxIter((Integer) getOrDefault(maxIter))
                .tol((Double) getOrDefault(tol))
                .seed((Long) getOrDefault(seed))
                .initialModel(mode == InitMode.MODEL ? initialModel : null)
                .initMode(mode)
                .nInit((Integer) getOrDefault(nInit))
                .regCovar((Double) getOrDefault(regCovar))
                .kernel(getOrDefault(kernel))
                .build();
    }

    @Override
    public GaussianMixtureModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        EmOptions options = emOptions();
        String features = getFeaturesCol();
        java.util.List<Row> first = dataset.select(features).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the input has no rows");
        }
        int d = ((Vector) first.get(0).get(0)).size();
        long start = System.nanoTime();
        try (SparkBlockData data = new SparkBlockData(
                BlockPacker.pack(dataset, features, getOrDefault(weightCol), d, (Integer) getOrDefault(blockSize)),
                d, (Integer) getOrDefault(aggregationDepth), BlockStorage.parse(getOrDefault(storage)))) {
            EmResult result = EmFitter.fit(data, options, new LoggingListener(listener), checkpoints);
            GaussianMixtureModel model = new GaussianMixtureModel(uid, result.model());
            copyValues(model, ParamMap.empty());
            model.setSummary(new GaussianMixtureSummary(result, (System.nanoTime() - start) / 1e9,
                    data.storage().id(), data.cachedBytes()));
            model.setParent(this);
            return model;
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SharedParams.requireVectorColumn(schema, getFeaturesCol());
        String weights = getOrDefault(weightCol);
        if (!weights.isEmpty() && !java.util.Arrays.asList(schema.fieldNames()).contains(weights)) {
            throw new IllegalArgumentException("weight column '" + weights + "' does not exist");
        }
        return SharedParams.withOutputs(schema, getFeaturesCol(), getOrDefault(predictionCol),
                getOrDefault(probabilityCol));
    }

    @Override
    public GaussianMixture copy(ParamMap extra) {
        GaussianMixture copy = (GaussianMixture) defaultCopy(extra);
        copy.initialModel = initialModel;
        copy.listener = listener;
        copy.checkpoints = checkpoints;
        return copy;
    }

    public static MLReader<GaussianMixture> read() {
        return new DefaultParamsReader<>();
    }

    public static GaussianMixture load(String path) {
        return read().load(path);
    }

    /** Logs every iteration and forwards it to the caller's listener. */
    private record LoggingListener(FitListener delegate) implements FitListener {
        @Override
        public void restartStarted(int restart, int of) {
            LOG.info("EM restart {} of {}", restart + 1, of);
            delegate.restartStarted(restart, of);
        }

        @Override
        public void iteration(int restart, IterationRecord r) {
            LOG.info(String.format(Locale.ROOT, "EM iteration %d: mean log-likelihood %.10g, change %.3g, %.3f s",
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
