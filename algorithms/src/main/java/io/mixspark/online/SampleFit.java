package io.mixspark.online;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NearestCentrePass;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.init.KMeansPlusPlus;
import java.util.List;
import java.util.Random;

/**
 * A small mixture fitted in memory on a sampled block: k-means++ and Lloyd, the mixture the hard
 * labels imply, then a few EM iterations. Online EM starts from one on the first batch and grows
 * components from one on a batch's novel rows.
 */
final class SampleFit {

    /** EM on a sample stops when its mean log-likelihood moves by less than this. */
    private static final double TOL = 1e-5;

    private SampleFit() {
    }

    /** The fitted mixture and its weighted log-likelihood on the sample. */
    record Fit(Mixture model, double logLikelihood) {
    }

    /**
     * @throws IllegalArgumentException if the sample holds fewer than k distinct rows
     * @throws io.mixspark.gmm.NumericalFailureException if a fit degenerates
     */
    static Fit fit(DataBlock sample, int k, OnlineEmOptions options, String kernel, long seed) {
        InMemoryBlockData data = new InMemoryBlockData(List.of(sample), sample.d());
        double[] centres = KMeansPlusPlus.cluster(sample, k, new Random(seed));
        boolean full = options.covarianceType().needsFullScatter();
        SufficientStatistics hard = data.aggregate(new NearestCentrePass(centres, k, full, kernel));
        Mixture start = MStep.update(hard, options.covarianceType(), options.regCovar(), message -> { });
        EmOptions em = EmOptions.builder(start.k(), options.covarianceType()).maxIter(options.initIterations())
                .tol(TOL).regCovar(options.regCovar()).kernel(kernel).seed(seed).build();
        EmResult result = EmFitter.run(data, start, em, kernel, 0, FitListener.NONE);
        return new Fit(result.model(), result.logLikelihood());
    }

    /** The E-step statistics of the sample under a mixture. */
    static SufficientStatistics statistics(DataBlock sample, Mixture model, String kernel) {
        ExpectationPass pass = new ExpectationPass(model, kernel);
        return pass.add(pass.zero(), sample);
    }
}
