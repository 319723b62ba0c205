package io.mixspark.gmm;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import java.io.Serializable;

/**
 * The mixture's log density summed over rows ({@link Scoring#scoreSamples}), so that the mean
 * is scikit-learn's {@code score}: the average log-likelihood of a table under a fixed model.
 * Rows count once each, whatever their weight; a row with missing values (NaN) is scored on its
 * observed coordinates.
 */
public final class LogLikelihoodPass implements BlockAggregator<LogLikelihoodPass.Total> {

    private static final long serialVersionUID = 1L;

    private final Mixture model;
    private final KernelRef kernel;

    /** The log densities' sum over {@code rows} rows. */
    public record Total(double sum, long rows) implements Serializable {
        /** The mean log-likelihood per row; NaN without rows. */
        public double mean() {
            return rows == 0 ? Double.NaN : sum / rows;
        }
    }

    public LogLikelihoodPass(Mixture model, String kernelName) {
        this.model = model;
        this.kernel = new KernelRef(kernelName);
    }

    @Override
    public Total zero() {
        return new Total(0, 0);
    }

    @Override
    public Total add(Total acc, DataBlock block) {
        double sum = 0;
        for (double v : Scoring.scoreSamples(kernel.get(), model, block)) {
            sum += v;
        }
        return new Total(acc.sum() + sum, acc.rows() + block.rows());
    }

    @Override
    public Total merge(Total left, Total right) {
        return new Total(left.sum() + right.sum(), left.rows() + right.rows());
    }

    @Override
    public String kernelUsed() {
        return kernel.used();
    }
}
