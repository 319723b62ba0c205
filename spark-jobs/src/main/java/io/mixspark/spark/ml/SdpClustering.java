package io.mixspark.spark.ml;

import io.mixspark.sdp.SdpFit;
import io.mixspark.sdp.SdpSettings;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.SparkSdpFit;
import io.mixspark.spark.ml.param.HasMaxIter;
import io.mixspark.spark.ml.param.HasTol;
import io.mixspark.util.Ids;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * SDP clustering as a Spark ML Estimator: the k-means SDP (Peng-Wei) or iLA-SDP, solved on the
 * driver ({@code dense}), on a driver-side sketch lifted to every row ({@code sketch}), or by
 * Burer-Monteiro with the factor partitioned with the rows ({@code burer-monteiro}, k-means SDP
 * only). The model is a {@link MixSparkGaussianMixtureModel} whose most probable component is the SDP's
 * lift rule (see {@link SdpFit}), so it transforms, persists and loads like an EM model; its
 * summary holds one E-step of the model over the training rows.
 */
public final class SdpClustering extends MixSparkEstimator<SdpClustering> implements HasMaxIter<SdpClustering> {

    private static final long serialVersionUID = 1L;

    private transient SdpFit.Outcome lastOutcome;

    public SdpClustering() {
        this(Identifiable$.MODULE$.randomUID("mixspark-sdp"));
    }

    public SdpClustering(String uid) {
        super(uid);
        // The solvers stop on their residuals, with their own iteration budget.
        setDefault(maxIter(), SdpSettings.DEFAULT_MAX_ITERATIONS);
    }

    /** The shared {@code tol}, narrowed to (0, 1) with the solvers' default. */
    @Override
    public DoubleParam tol() {
        return declare("tol", p -> new DoubleParam(p, "tol", HasTol.DOC,
                ParamValidators.inRange(0, 1, false, false)), SdpSettings.DEFAULT_TOLERANCE);
    }

    public Param<String> method() {
        return declare("method", p -> new Param<>(p, "method", "relaxation: kmeans-sdp or ila-sdp",
                ParamValidators.inArray(Ids.all(SdpSettings.Method.values(), SdpSettings.Method::id))),
                SdpSettings.Method.KMEANS_SDP.id());
    }

    public Param<String> solver() {
        return declare("solver", p -> new Param<>(p, "solver", "solver: dense, sketch or burer-monteiro",
                ParamValidators.inArray(Ids.all(SdpSettings.Solver.values(), SdpSettings.Solver::id))),
                SdpSettings.Solver.SKETCH.id());
    }

    public IntParam sketchSize() {
        return declare("sketchSize", p -> new IntParam(p, "sketchSize", "expected rows of the driver-side sample"
                + " (>= k)", ParamValidators.gtEq(1)), SdpSettings.DEFAULT_SKETCH_ROWS);
    }

    public IntParam ilaRoundStarts() {
        return declare("ilaRoundStarts", p -> new IntParam(p, "ilaRoundStarts", "iLA-SDP: how many of the best"
                + " polished starts run the SDP rounds (>= 1)", ParamValidators.gtEq(1)),
                SdpSettings.IlaSearch.DEFAULTS.roundStarts());
    }

    public IntParam ilaRandomStarts() {
        return declare("ilaRandomStarts", p -> new IntParam(p, "ilaRandomStarts", "iLA-SDP: random partitions"
                + " among the starts (>= 0)", ParamValidators.gtEq(0)), SdpSettings.IlaSearch.DEFAULTS.randomStarts());
    }

    public IntParam ilaEmRestarts() {
        return declare("ilaEmRestarts", p -> new IntParam(p, "ilaEmRestarts", "iLA-SDP: restarts of each of the two"
                + " EM starts (>= 0; 0 drops both)", ParamValidators.gtEq(0)),
                SdpSettings.IlaSearch.DEFAULTS.emRestarts());
    }

    public IntParam ilaMaxRounds() {
        return declare("ilaMaxRounds", p -> new IntParam(p, "ilaMaxRounds", "iLA-SDP: SDP rounds at most per start"
                + " that runs them (>= 1)", ParamValidators.gtEq(1)), SdpSettings.IlaSearch.DEFAULTS.maxRounds());
    }

    public SdpClustering setMethod(String value) {
        return setParam(method(), value.toLowerCase(Locale.ROOT));
    }

    public SdpClustering setSolver(String value) {
        return setParam(solver(), value.toLowerCase(Locale.ROOT));
    }

    public SdpClustering setSketchSize(int value) {
        return setParam(sketchSize(), value);
    }

    public SdpClustering setIlaRoundStarts(int value) {
        return setParam(ilaRoundStarts(), value);
    }

    public SdpClustering setIlaRandomStarts(int value) {
        return setParam(ilaRandomStarts(), value);
    }

    public SdpClustering setIlaEmRestarts(int value) {
        return setParam(ilaEmRestarts(), value);
    }

    public SdpClustering setIlaMaxRounds(int value) {
        return setParam(ilaMaxRounds(), value);
    }

    /** Sets the four iLA-SDP Params at once. */
    public SdpClustering setIlaSearch(SdpSettings.IlaSearch search) {
        return setIlaRoundStarts(search.roundStarts()).setIlaRandomStarts(search.randomStarts())
                .setIlaEmRestarts(search.emRestarts()).setIlaMaxRounds(search.maxRounds());
    }

    /**
     * The settings these params describe; throws IllegalArgumentException on a bad combination,
     * such as an iLA-SDP Param set for the k-means SDP (which would ignore it).
     */
    public SdpSettings settings() {
        SdpSettings.Method relaxation = SdpSettings.Method.parse(getOrDefault(method()));
        List<IntParam> ila = List.of(ilaRoundStarts(), ilaRandomStarts(), ilaEmRestarts(), ilaMaxRounds());
        if (relaxation != SdpSettings.Method.ILA_SDP) {
            for (IntParam p : ila) {
                if (isSet(p)) {
                    throw new IllegalArgumentException(p.name() + " applies only with method ila-sdp");
                }
            }
        }
        SdpSettings.IlaSearch search = new SdpSettings.IlaSearch((Integer) getOrDefault(ila.get(0)),
                (Integer) getOrDefault(ila.get(1)), (Integer) getOrDefault(ila.get(2)),
                (Integer) getOrDefault(ila.get(3)));
        return new SdpSettings(relaxation, SdpSettings.Solver.parse(getOrDefault(solver())), getK(),
                (Integer) getOrDefault(sketchSize()), getTol(), getMaxIter(), getSeed(), getKernel(), search);
    }

    /** The solver's figures from the last {@link #fit} in this JVM (iterations, objective, ...). */
    public SdpFit.Outcome lastOutcome() {
        if (lastOutcome == null) {
            throw new IllegalStateException("fit has not run");
        }
        return lastOutcome;
    }

    @Override
    public MixSparkGaussianMixtureModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SdpSettings settings = settings();
        String features = getFeaturesCol();
        int d = featureDimension(dataset);
        long start = System.nanoTime();
        var blocks = BlockPacker.pack(dataset, features, "", d, getBlockSize());
        SparkSdpFit.Counted fitted = SparkSdpFit.fitCounted(blocks, d, settings,
                SparkBlockData.DEFAULT_AGGREGATION_DEPTH);
        SdpFit.Outcome outcome = fitted.outcome();
        lastOutcome = outcome;
        return model(outcome.model(), new MixSparkGaussianMixtureSummary(outcome.evaluation(),
                (System.nanoTime() - start) / 1e9, "", 0, null, fitted.kernelsUsed()));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withClusteringOutputs(schema);
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
