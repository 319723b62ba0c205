package io.mixspark.spark.ml;

import io.mixspark.gmm.Kernels;
import io.mixspark.spark.BlockPacker;
import io.mixspark.sdp.SdpFit;
import io.mixspark.sdp.SdpSettings;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.SparkSdpFit;
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

/**
 * SDP clustering as a Spark ML Estimator: the k-means SDP (Peng-Wei) or iLA-SDP, solved on the
 * driver ({@code dense}), on a driver-side sketch lifted to every row ({@code sketch}), or by
 * Burer-Monteiro with the factor partitioned with the rows ({@code burer-monteiro}, k-means SDP
 * only). The model is a {@link GaussianMixtureModel} whose most probable component is the SDP's
 * lift rule (see {@link SdpFit}), so it transforms, persists and loads like an EM model; its
 * summary holds one E-step of the model over the training rows.
 */
public final class SdpClustering extends Estimator<GaussianMixtureModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntParam k;
    private final Param<String> method;
    private final Param<String> solver;
    private final IntParam sketchSize;
    private final DoubleParam tol;
    private final IntParam maxIter;
    private final LongParam seed;
    private final Param<String> kernel;
    private final IntParam blockSize;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private transient SdpFit.Outcome lastOutcome;

    public SdpClustering() {
        this(Identifiable$.MODULE$.randomUID("mixspark-sdp"));
    }

    public SdpClustering(String uid) {
        this.uid = uid;
        k = new IntParam(this, "k", "number of clusters (>= 1)", ParamValidators.gtEq(1));
        method = new Param<>(this, "method", "relaxation: kmeans-sdp or ila-sdp",
                ParamValidators.inArray(new String[] {"kmeans-sdp", "ila-sdp"}));
        solver = new Param<>(this, "solver", "solver: dense, sketch or burer-monteiro",
                ParamValidators.inArray(new String[] {"dense", "sketch", "burer-monteiro"}));
        sketchSize = new IntParam(this, "sketchSize", "expected rows of the driver-side sample (>= k)",
                ParamValidators.gtEq(1));
        tol = new DoubleParam(this, "tol", "solver tolerance, in (0, 1)", ParamValidators.inRange(0, 1, false, false));
        maxIter = new IntParam(this, "maxIter", "solver iterations at most (>= 1)", ParamValidators.gtEq(1));
        seed = new LongParam(this, "seed", "seed of the sample, the random start and the roundings");
        kernel = new Param<>(this, "kernel", "likelihood kernel for the passes that score the model");
        blockSize = new IntParam(this, "blockSize", "rows per cached block (>= 1)", ParamValidators.gtEq(1));
        featuresCol = SharedParams.featuresCol(this);
        predictionCol = SharedParams.predictionCol(this);
        probabilityCol = SharedParams.probabilityCol(this);
        setDefault(k, 2);
        setDefault(method, "kmeans-sdp");
        setDefault(solver, "sketch");
        setDefault(sketchSize, SdpSettings.DEFAULT_SKETCH_ROWS);
        setDefault(tol, SdpSettings.DEFAULT_TOLERANCE);
        setDefault(maxIter, SdpSettings.DEFAULT_MAX_ITERATIONS);
        setDefault(seed, 0L);
        setDefault(kernel, Kernels.AUTO);
        setDefault(blockSize, BlockPacker.DEFAULT_BLOCK_ROWS);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark ML finds params through public no-argument accessors.
    public IntParam k() {
        return k;
    }

    public Param<String> method() {
        return method;
    }

    public Param<String> solver() {
        return solver;
    }

    public IntParam sketchSize() {
        return sketchSize;
    }

    public DoubleParam tol() {
        return tol;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> kernel() {
        return kernel;
    }

    public IntParam blockSize() {
        return blockSize;
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

    public SdpClustering setK(int value) {
        return (SdpClustering) set(k, value);
    }

    public SdpClustering setMethod(String value) {
        return (SdpClustering) set(method, value.toLowerCase(Locale.ROOT));
    }

    public SdpClustering setSolver(String value) {
        return (SdpClustering) set(solver, value.toLowerCase(Locale.ROOT));
    }

    public SdpClustering setSketchSize(int value) {
        return (SdpClustering) set(sketchSize, value);
    }

    public SdpClustering setTol(double value) {
        return (SdpClustering) set(tol, value);
    }

    public SdpClustering setMaxIter(int value) {
        return (SdpClustering) set(maxIter, value);
    }

    public SdpClustering setSeed(long value) {
        return (SdpClustering) set(seed, value);
    }

    public SdpClustering setKernel(String value) {
        return (SdpClustering) set(kernel, value);
    }

    public SdpClustering setBlockSize(int value) {
        return (SdpClustering) set(blockSize, value);
    }

    public SdpClustering setFeaturesCol(String value) {
        return (SdpClustering) set(featuresCol, value);
    }

    public SdpClustering setPredictionCol(String value) {
        return (SdpClustering) set(predictionCol, value);
    }

    public SdpClustering setProbabilityCol(String value) {
        return (SdpClustering) set(probabilityCol, value);
    }

    /** The settings these params describe; throws IllegalArgumentException on a bad combination. */
    public SdpSettings settings() {
        return new SdpSettings(SdpSettings.Method.parse(getOrDefault(method)),
                SdpSettings.Solver.parse(getOrDefault(solver)), (Integer) getOrDefault(k),
                (Integer) getOrDefault(sketchSize), (Double) getOrDefault(tol), (Integer) getOrDefault(maxIter),
                (Long) getOrDefault(seed), getOrDefault(kernel));
    }

    /** The solver's figures from the last {@link #fit} in this JVM (iterations, objective, ...). */
    public SdpFit.Outcome lastOutcome() {
        if (lastOutcome == null) {
            throw new IllegalStateException("fit has not run");
        }
        return lastOutcome;
    }

    @Override
    public GaussianMixtureModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SdpSettings settings = settings();
        String features = getOrDefault(featuresCol);
        java.util.List<Row> first = dataset.select(features).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the input has no rows");
        }
        int d = ((Vector) first.get(0).get(0)).size();
        long start = System.nanoTime();
        var blocks = BlockPacker.pack(dataset, features, "", d, (Integer) getOrDefault(blockSize));
        SdpFit.Outcome outcome = SparkSdpFit.fit(blocks, d, settings, SparkBlockData.DEFAULT_AGGREGATION_DEPTH);
        lastOutcome = outcome;
        GaussianMixtureModel model = new GaussianMixtureModel(uid, outcome.model());
        model.set(model.featuresCol(), features);
        model.set(model.predictionCol(), getOrDefault(predictionCol));
        model.set(model.probabilityCol(), getOrDefault(probabilityCol));
        model.setSummary(new GaussianMixtureSummary(outcome.evaluation(), (System.nanoTime() - start) / 1e9));
        model.setParent(this);
        return model;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return SharedParams.withOutputs(schema, getOrDefault(featuresCol), getOrDefault(predictionCol),
                getOrDefault(probabilityCol));
    }

    @Override
    public SdpClustering copy(ParamMap extra) {
        return (SdpClustering) defaultCopy(extra);
    }

    public static MLReader<SdpClustering> read() {
        return new DefaultParamsReader<>();
    }

    public static SdpClustering load(String path) {
        return read().load(path);
    }
}
