package io.mixspark.online;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;

/**
 * New components from a batch's novel rows (after Pinto and Engel's FIGMN, which creates a
 * component for each row outside every component's chi-square ellipsoid). With mini-batches the
 * novel rows are pooled: mixtures of 1, 2, ... components are fitted on their sample and the one
 * with the lowest BIC on the sample is added, at most {@link #MAX_NEW_PER_BATCH} per batch and up to
 * maxK in all. A candidate needs {@link #rowsPerComponent} sampled rows per component, so a handful
 * of outliers never becomes a component.
 */
final class Growth {

    /** Components one batch may add at most. */
    static final int MAX_NEW_PER_BATCH = 4;

    private Growth() {
    }

    /** Sampled novel rows that one new component needs at least: enough to estimate it in d dimensions. */
    static int rowsPerComponent(int d) {
        return Math.max(20, 2 * (d + 1));
    }

    /**
     * The new components as a mixture of their own, or null when the sample supports none.
     *
     * @param room components the model may still add (maxK - k)
     */
    static Mixture newComponents(DataBlock sample, int room, OnlineEmOptions options, String kernel, long seed) {
        int most = Math.min(Math.min(room, MAX_NEW_PER_BATCH), sample.rows() / rowsPerComponent(sample.d()));
        Mixture best = null;
        double bestBic = Double.POSITIVE_INFINITY;
        for (int j = 1; j <= most; j++) {
            try {
                SampleFit.Fit fit = SampleFit.fit(sample, j, options, kernel, seed + j);
                double bic = -2 * fit.logLikelihood() + fit.model().parameterCount() * Math.log(sample.rows());
                if (bic < bestBic) {
                    bestBic = bic;
                    best = fit.model();
                }
            } catch (IllegalArgumentException | NumericalFailureException e) {
                break; // too few distinct rows or a degenerate fit: more components will not do better
            }
        }
        return best;
    }
}
