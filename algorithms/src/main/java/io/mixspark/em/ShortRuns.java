package io.mixspark.em;

import io.mixspark.data.DataBlock;
import io.mixspark.data.ImputedBlockData;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.ConjugatePrior;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import java.util.List;
import java.util.Random;

/**
 * The small-EM start (Biernacki, Celeux and Govaert, "Choosing starting values for the EM
 * algorithm", CSDA 2003; Rmixmod's {@code smallEM}): many short EM runs on a sample, each from
 * k random rows, and the mixture of the run with the largest log-likelihood. A short run already
 * shows which basin a start lies in, at a fraction of a full run's cost, so the long run is spent
 * on the most promising one. Unlike a k-means start it does not commit to a partition that cuts
 * elongated clusters across: the covariances take part from the first iteration.
 *
 * <p>With missing values a short run is the fit's own EM on the sampled rows as they are (the
 * exact E-step on each row's observed values), and the runs are ranked by the observed-data
 * log-likelihood that the fit maximises; only each run's starting partition reads the missing
 * values as their column means, as the other starts do.
 */
final class ShortRuns {

    /** Short runs per start, and EM iterations per run: chosen on shape-family seeds 1-10 (docs/SDP.md). */
    static final int RUNS = 20;
    static final int ITERATIONS = 5;
    /** Rows the short runs use at most: they run on the driver, RUNS x ITERATIONS passes each. */
    static final int SAMPLE_ROWS = 10_000;

    private ShortRuns() {
    }

    /**
     * The best of {@link #RUNS} short runs of the fit's model (covariance type, regularisation,
     * shrinkage, prior) on the sample, each started from the hard assignment to k random rows.
     *
     * @param fill what a missing value reads as in a run's start, per column; null without missing values
     * @throws NumericalFailureException if every run fails numerically (the last failure)
     * @throws IllegalArgumentException  if the sample holds fewer than k distinct rows
     */
    static Mixture best(DataBlock sample, double[] fill, EmOptions options, long seed, String kernel,
                        ConjugatePrior prior) {
        DataBlock rows = new DataBlock(sample.values(), sample.weights(), sample.rows(), sample.d());
        InMemoryBlockData data = new InMemoryBlockData(List.of(rows), rows.d());
        DataBlock startRows = fill == null ? rows : ImputedBlockData.filled(rows, fill);
        InMemoryBlockData startData = fill == null ? data : new InMemoryBlockData(List.of(startRows), rows.d());
        EmOptions shortRun = options.toBuilder().maxIter(ITERATIONS).nInit(1).build();
        Random random = new Random(seed);
        EmResult best = null;
        NumericalFailureException failure = null;
        for (int run = 0; run < RUNS; run++) {
            try {
                double[] centres = Initializer.randomRows(startRows, options.k(), random);
                Mixture start = Initializer.fromCentres(startData, centres, options, kernel, prior, FitListener.NONE);
                EmResult result = EmFitter.run(data, start, shortRun, prior, kernel, run, FitListener.NONE, false);
                // A run whose M-step dropped an empty component cannot start a fit of k.
                boolean complete = result.model().k() == options.k();
                if (complete && (best == null || result.logLikelihood() > best.logLikelihood())) {
                    best = result;
                }
            } catch (NumericalFailureException e) {
                failure = e;
            }
        }
        if (best == null) {
            String why = failure == null ? "each lost a component"
                    : "the last failed with: " + failure.getMessage();
            throw new NumericalFailureException("every one of the " + RUNS + " short EM runs of the small-EM start"
                    + " failed; " + why);
        }
        return best.model();
    }
}
