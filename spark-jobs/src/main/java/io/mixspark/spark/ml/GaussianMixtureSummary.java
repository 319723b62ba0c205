package io.mixspark.spark.ml;

/**
 * The name {@link MixSparkGaussianMixtureSummary} had before; it clashed with Spark's own
 * {@code org.apache.spark.ml.clustering.GaussianMixtureSummary}. The deprecated
 * {@link GaussianMixtureModel} returns it.
 *
 * @deprecated use {@link MixSparkGaussianMixtureSummary}; this alias will be removed in the next release
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class GaussianMixtureSummary extends MixSparkGaussianMixtureSummary {

    private static final long serialVersionUID = 1L;

    GaussianMixtureSummary(MixSparkGaussianMixtureSummary summary) {
        super(summary);
    }
}
