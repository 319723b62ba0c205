package io.mixspark.em;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.gmm.ShapeFamily;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.Arrays;
import java.util.Random;

/**
 * A shape-family draw with values removed completely at random, and one EM fit of it (full
 * covariance, 3 restarts, Java kernel, seeded by the draw): what the small-EM start is measured
 * and guarded on with missing values ({@link SmallEmMissingValuesExperiment},
 * {@link SmallEmMissingValuesTest}).
 */
final class HoledShapeFamily {

    /** The share of values removed that the measurement and the test use. */
    static final double MISSING = 0.3;

    private HoledShapeFamily() {
    }

    /**
     * A fit's final log-likelihood, its misclustering rate against the draw's truth, and the mean
     * log-likelihood per row of the first restart's start (on each row's observed values).
     */
    record Fit(double logLikelihood, double misclustering, double startMeanLogLikelihood) {
    }

    /** The draw of the seed with each value removed with probability {@code missing} (mask seeded by the draw). */
    static double[] holed(ShapeFamily.Draw draw, long seed, double missing) {
        double[] x = draw.x().clone();
        Random random = new Random(1000 + seed);
        for (int i = 0; i < x.length; i++) {
            if (random.nextDouble() < missing) {
                x[i] = Double.NaN;
            }
        }
        return x;
    }

    static Fit fit(ShapeFamily family, long seed, InitMode mode, CovarianceShrinkage shrinkage, double missing) {
        ShapeFamily.Draw draw = family.draw(seed);
        double[] x = holed(draw, seed, missing);
        EmOptions options = options(family, seed, mode, shrinkage);
        EmResult result = EmFitter.fit(InMemoryBlockData.of(x, null, draw.d(), 64), options, FitListener.NONE);
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, result.model(), DataBlock.of(x, draw.d()));
        return new Fit(result.logLikelihood(), ClusteringMetrics.misclusteringRate(draw.truth(), predicted),
                startMeanLogLikelihood(family, seed, mode, shrinkage, missing));
    }

    /** The mean log-likelihood per row, on each row's observed values, of the first restart's start. */
    static double startMeanLogLikelihood(ShapeFamily family, long seed, InitMode mode, CovarianceShrinkage shrinkage,
                                         double missing) {
        ShapeFamily.Draw draw = family.draw(seed);
        double[] x = holed(draw, seed, missing);
        Mixture start = EmFitter.initialMixture(InMemoryBlockData.of(x, null, draw.d(), 64),
                options(family, seed, mode, shrinkage), 0, FitListener.NONE);
        return Arrays.stream(Scoring.scoreSamples(JavaLikelihoodKernel.INSTANCE, start, DataBlock.of(x, draw.d())))
                .average().orElseThrow();
    }

    private static EmOptions options(ShapeFamily family, long seed, InitMode mode, CovarianceShrinkage shrinkage) {
        return EmOptions.builder(family.k(), CovarianceType.FULL).nInit(3).kernel("java").seed(seed)
                .initMode(mode).shrinkage(shrinkage).build();
    }
}
