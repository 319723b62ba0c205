package io.mixspark.gmm;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;

/**
 * One pass for the data's weighted column means and full covariance (divisor total weight - 1),
 * which mclust's default prior is built from: every row goes to a single component whose
 * moments are taken about a given centre (the column means of an earlier pass keep them
 * accurate).
 */
public final class DataMomentsPass implements BlockAggregator<SufficientStatistics> {

    private static final long serialVersionUID = 1L;

    private final double[] centre;

    public DataMomentsPass(double[] centre) {
        this.centre = centre.clone();
    }

    @Override
    public SufficientStatistics zero() {
        return SufficientStatistics.empty();
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, DataBlock block) {
        SufficientStatistics into = acc.isEmpty() ? SufficientStatistics.zero(1, block.d(), true, centre) : acc;
        for (int i = 0; i < block.rows(); i++) {
            double w = block.weight(i);
            into.addRowTotals(w, 0, 0);
            if (w != 0) {
                into.addToComponent(0, w, block.values(), i * block.d());
            }
        }
        return into;
    }

    @Override
    public SufficientStatistics merge(SufficientStatistics left, SufficientStatistics right) {
        return left.isEmpty() ? right : left.merge(right);
    }

    /** mclust's default prior for g components from these moments. */
    public static ConjugatePrior defaultPrior(SufficientStatistics moments, int g) {
        int d = moments.d();
        double n = moments.count(0);
        double[] sums = moments.sumsView();
        double[] scatter = moments.scattersView();
        double[] means = new double[d];
        for (int a = 0; a < d; a++) {
            means[a] = moments.centresView()[a] + sums[a] / n;
        }
        double[] covariance = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                double v = (scatter[a * d + b] - sums[a] * sums[b] / n) / (n - 1);
                covariance[a * d + b] = v;
                covariance[b * d + a] = v;
            }
        }
        return ConjugatePrior.mclustDefault(means, covariance, moments.rows(), g);
    }
}
