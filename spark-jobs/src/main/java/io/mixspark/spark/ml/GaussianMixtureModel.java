package io.mixspark.spark.ml;

import io.mixspark.gmm.Mixture;

/**
 * The name {@link MixSparkGaussianMixtureModel} had before; it clashed with Spark's own
 * {@code org.apache.spark.ml.clustering.GaussianMixtureModel}. Models saved under this name load
 * with {@link MixSparkGaussianMixtureModel#load}.
 *
 * @deprecated use {@link MixSparkGaussianMixtureModel}; this alias will be removed in the next release
 */
@Deprecated
public class GaussianMixtureModel extends MixSparkGaussianMixtureModel {

    private static final long serialVersionUID = 1L;

    public GaussianMixtureModel(String uid, Mixture mixture) {
        super(uid, mixture);
    }
}
