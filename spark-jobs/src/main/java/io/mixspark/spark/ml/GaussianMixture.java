package io.mixspark.spark.ml;

/**
 * The name {@link MixSparkGaussianMixture} had before; it clashed with Spark's own
 * {@code org.apache.spark.ml.clustering.GaussianMixture} in notebooks that import both.
 *
 * @deprecated use {@link MixSparkGaussianMixture}; this alias will be removed in the next release
 */
@Deprecated
public class GaussianMixture extends MixSparkGaussianMixture {

    private static final long serialVersionUID = 1L;

    public GaussianMixture() {
        super();
    }

    public GaussianMixture(String uid) {
        super(uid);
    }
}
