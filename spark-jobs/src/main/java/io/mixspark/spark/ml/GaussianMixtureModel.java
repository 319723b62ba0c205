package io.mixspark.spark.ml;

import io.mixspark.gmm.Mixture;
import org.apache.spark.ml.param.ParamMap;

/**
 * The name {@link MixSparkGaussianMixtureModel} had before; it clashed with Spark's own
 * {@code org.apache.spark.ml.clustering.GaussianMixtureModel}. The deprecated
 * {@link GaussianMixture} returns it from {@code fit}, and {@code load} reads models saved under
 * either name.
 *
 * @deprecated use {@link MixSparkGaussianMixtureModel}; this alias will be removed in the next release
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class GaussianMixtureModel extends MixSparkGaussianMixtureModel {

    private static final long serialVersionUID = 1L;

    public GaussianMixtureModel(String uid, Mixture mixture) {
        super(uid, mixture);
    }

    /** The same model (uid, mixture, column params, summary, parent) under the old name. */
    GaussianMixtureModel(MixSparkGaussianMixtureModel model) {
        super(model.uid(), model.mixture());
        model.copyValues(this, ParamMap.empty());
        if (model.hasSummary()) {
            setSummary(model.summary());
        }
        setParent(model.parent());
    }

    @Override
    public GaussianMixtureModel setFeaturesCol(String value) {
        super.setFeaturesCol(value);
        return this;
    }

    @Override
    public GaussianMixtureModel setPredictionCol(String value) {
        super.setPredictionCol(value);
        return this;
    }

    @Override
    public GaussianMixtureModel setProbabilityCol(String value) {
        super.setProbabilityCol(value);
        return this;
    }

    @Override
    public GaussianMixtureSummary summary() {
        return new GaussianMixtureSummary(super.summary());
    }

    @Override
    public GaussianMixtureModel copy(ParamMap extra) {
        return new GaussianMixtureModel(super.copy(extra));
    }

    /** Loads a model saved under either name, as this type. */
    public static GaussianMixtureModel load(String path) {
        return new GaussianMixtureModel(MixSparkGaussianMixtureModel.load(path));
    }
}
