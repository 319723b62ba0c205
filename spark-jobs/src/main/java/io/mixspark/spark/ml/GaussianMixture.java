package io.mixspark.spark.ml;

import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.Mixture;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.sql.Dataset;

/**
 * The name {@link MixSparkGaussianMixture} had before; it clashed with Spark's own
 * {@code org.apache.spark.ml.clustering.GaussianMixture} in notebooks that import both. It keeps
 * the old API whole: its setters return this type, {@code fit} returns a
 * {@link GaussianMixtureModel}, and {@code load} returns this type.
 *
 * @deprecated use {@link MixSparkGaussianMixture}; this alias will be removed in the next release
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class GaussianMixture extends MixSparkGaussianMixture {

    private static final long serialVersionUID = 1L;

    public GaussianMixture() {
        super();
    }

    public GaussianMixture(String uid) {
        super(uid);
    }

    @Override
    public GaussianMixture setK(int value) {
        super.setK(value);
        return this;
    }

    @Override
    public GaussianMixture setCovarianceType(String value) {
        super.setCovarianceType(value);
        return this;
    }

    @Override
    public GaussianMixture setMaxIter(int value) {
        super.setMaxIter(value);
        return this;
    }

    @Override
    public GaussianMixture setTol(double value) {
        super.setTol(value);
        return this;
    }

    @Override
    public GaussianMixture setSeed(long value) {
        super.setSeed(value);
        return this;
    }

    @Override
    public GaussianMixture setRegCovar(double value) {
        super.setRegCovar(value);
        return this;
    }

    @Override
    public GaussianMixture setWeightCol(String value) {
        super.setWeightCol(value);
        return this;
    }

    @Override
    public GaussianMixture setKernel(String value) {
        super.setKernel(value);
        return this;
    }

    @Override
    public GaussianMixture setBlockSize(int value) {
        super.setBlockSize(value);
        return this;
    }

    @Override
    public GaussianMixture setFeaturesCol(String value) {
        super.setFeaturesCol(value);
        return this;
    }

    @Override
    public GaussianMixture setPredictionCol(String value) {
        super.setPredictionCol(value);
        return this;
    }

    @Override
    public GaussianMixture setProbabilityCol(String value) {
        super.setProbabilityCol(value);
        return this;
    }

    @Override
    public GaussianMixture setInitMode(String value) {
        super.setInitMode(value);
        return this;
    }

    @Override
    public GaussianMixture setHcSample(int value) {
        super.setHcSample(value);
        return this;
    }

    @Override
    public GaussianMixture setPrior(String value) {
        super.setPrior(value);
        return this;
    }

    @Override
    public GaussianMixture setOptimizer(String value) {
        super.setOptimizer(value);
        return this;
    }

    @Override
    public GaussianMixture setBatchRows(long value) {
        super.setBatchRows(value);
        return this;
    }

    @Override
    public GaussianMixture setPasses(int value) {
        super.setPasses(value);
        return this;
    }

    @Override
    public GaussianMixture setFinishIterations(int value) {
        super.setFinishIterations(value);
        return this;
    }

    @Override
    public GaussianMixture setNInit(int value) {
        super.setNInit(value);
        return this;
    }

    @Override
    public GaussianMixture setStorage(String value) {
        super.setStorage(value);
        return this;
    }

    @Override
    public GaussianMixture setAggregationDepth(int value) {
        super.setAggregationDepth(value);
        return this;
    }

    @Override
    public GaussianMixture setInitialModel(Mixture value) {
        super.setInitialModel(value);
        return this;
    }

    @Override
    public GaussianMixture setCheckpointPolicy(EmCheckpoint.Policy value) {
        super.setCheckpointPolicy(value);
        return this;
    }

    @Override
    public GaussianMixture setListener(FitListener value) {
        super.setListener(value);
        return this;
    }

    @Override
    public GaussianMixture setMissing(String value) {
        super.setMissing(value);
        return this;
    }

    @Override
    public GaussianMixture setKnownLabelCol(String value) {
        super.setKnownLabelCol(value);
        return this;
    }

    @Override
    public GaussianMixture setLabelWeight(double value) {
        super.setLabelWeight(value);
        return this;
    }

    @Override
    public GaussianMixtureModel fit(Dataset<?> dataset) {
        return new GaussianMixtureModel(super.fit(dataset));
    }

    @Override
    public GaussianMixture copy(ParamMap extra) {
        return (GaussianMixture) super.copy(extra);
    }

    /** Loads an estimator saved under either name, as this type. */
    public static GaussianMixture load(String path) {
        MixSparkGaussianMixture loaded = new DefaultParamsReader<MixSparkGaussianMixture>().load(path);
        if (loaded instanceof GaussianMixture old) {
            return old;
        }
        GaussianMixture out = new GaussianMixture(loaded.uid());
        loaded.copyValues(out, ParamMap.empty());
        return out;
    }
}
