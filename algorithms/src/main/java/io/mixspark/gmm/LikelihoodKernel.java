package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import java.util.Arrays;

/**
 * The per-block work of EM, scoring and k-means, behind one interface with several backends
 * (plain Java here; native SIMD code in the {@code native} module).
 *
 * <p>Every argument check lives once, in the public final methods of this class, so a backend's
 * {@code ...Kernel} methods can trust their inputs: shapes agree, output arrays are large
 * enough, statistics are centred on the model's means.
 */
public abstract class LikelihoodKernel {

    /** Short name reported in metrics, for example {@code java} or {@code native-avx2}. */
    public abstract String name();

    /** The arithmetic of this kernel's products (see {@link Precision}). */
    public Precision precision() {
        return Precision.DOUBLE;
    }

    /**
     * This backend in the given arithmetic: the same instruction set, the same name.
     *
     * @throws IllegalArgumentException when the backend has no such variant
     */
    public LikelihoodKernel withPrecision(Precision precision) {
        if (precision == precision()) {
            return this;
        }
        throw new IllegalArgumentException("kernel " + name() + " has no " + precision.id() + " arithmetic");
    }

    /**
     * E-step over a block: adds each row's responsibilities, weighted moments, log-likelihood
     * and log of its largest responsibility into {@code into}, which must be shaped by
     * {@link SufficientStatistics#zeroFor(Mixture)} for this model.
     *
     * <p>If the call throws (a native kernel raises {@link OutOfMemoryError} when it cannot pin an
     * array), {@code into} is undefined: part of the block may have been added. Callers discard it;
     * a Spark task that throws is run again from fresh statistics.
     */
    public final void expectation(DataBlock block, Mixture model, SufficientStatistics into) {
        requireDimension(block, model.d());
        requireStatisticsFor(model, into);
        if (block.rows() > 0) {
            expectationKernel(block, model, into);
        }
    }

    /** The E-step over a float block: the same result as over {@link FloatBlock#toDataBlock()}. */
    public final void expectation(FloatBlock block, Mixture model, SufficientStatistics into) {
        requireColumns(block == null ? null : block.d(), model.d());
        requireStatisticsFor(model, into);
        if (block.rows() > 0) {
            expectationKernel(block, model, into);
        }
    }

    private static void requireStatisticsFor(Mixture model, SufficientStatistics into) {
        if (into.isEmpty() || into.k() != model.k() || into.d() != model.d()
                || into.fullScatter() != model.covarianceType().needsFullScatter()
                || !Arrays.equals(into.centresView(), model.meansView())) {
            throw new IllegalArgumentException("statistics must be shaped for this model and centred on its means");
        }
    }

    /**
     * Log of each component's weighted density at each row: {@code out[i * k + c] =
     * log w_c + log N(x_i | mu_c, Sigma_c)}.
     */
    public final void logJoint(DataBlock block, Mixture model, double[] out) {
        requireDimension(block, model.d());
        requireLength(out, (long) block.rows() * model.k(), "output");
        if (block.rows() > 0) {
            logJointKernel(block, model, out);
        }
    }

    /**
     * k-means assignment: the nearest centre of each row and its squared Euclidean distance.
     *
     * @param centres row-major k x d
     */
    public final void nearestCentres(DataBlock block, double[] centres, int k, int[] labels, double[] distances) {
        if (k < 1 || centres == null || centres.length != (long) k * block.d()) {
            throw new IllegalArgumentException("expected " + k + " x " + block.d() + " centres, got "
                    + (centres == null ? "none" : centres.length + " values"));
        }
        if (labels == null || labels.length < block.rows()) {
            throw new IllegalArgumentException("labels array must hold " + block.rows() + " rows");
        }
        requireLength(distances, block.rows(), "distances");
        if (block.rows() > 0) {
            nearestCentresKernel(block, centres, k, labels, distances);
        }
    }

    protected abstract void expectationKernel(DataBlock block, Mixture model, SufficientStatistics into);

    /** Backends that read floats directly override this; the rest expand the block to double. */
    protected void expectationKernel(FloatBlock block, Mixture model, SufficientStatistics into) {
        expectationKernel(block.toDataBlock(), model, into);
    }

    protected abstract void logJointKernel(DataBlock block, Mixture model, double[] out);

    protected abstract void nearestCentresKernel(DataBlock block, double[] centres, int k, int[] labels,
                                                 double[] distances);

    // Accumulation targets for backends that fill statistics a whole block at a time.

    /** The weighted counts (k) that {@link #expectationKernel} adds into. */
    protected static double[] countsOf(SufficientStatistics stats) {
        return stats.countsForKernel();
    }

    /** The weighted sums about the centres (k x d) that {@link #expectationKernel} adds into. */
    protected static double[] sumsOf(SufficientStatistics stats) {
        return stats.sumsView();
    }

    /** The scatters (lower triangles, or diagonals) that {@link #expectationKernel} adds into. */
    protected static double[] scattersOf(SufficientStatistics stats) {
        return stats.scattersView();
    }

    /** Adds a block's row count, total weight, log-likelihood and sum of log max responsibility. */
    protected static void addTotals(SufficientStatistics stats, long rows, double weight, double logLikelihood,
                                    double sumLogMaxResponsibility) {
        stats.addTotals(rows, weight, logLikelihood, sumLogMaxResponsibility);
    }

    private static void requireDimension(DataBlock block, int d) {
        requireColumns(block == null ? null : block.d(), d);
    }

    /** @param columns the block's columns, or null when there is no block */
    private static void requireColumns(Integer columns, int d) {
        if (columns == null) {
            throw new IllegalArgumentException("block is required");
        }
        if (columns != d) {
            throw new IllegalArgumentException("block has " + columns + " columns, the model has " + d);
        }
    }

    private static void requireLength(double[] array, long needed, String what) {
        if (array == null || array.length < needed) {
            throw new IllegalArgumentException(what + " array must hold " + needed + " values, got "
                    + (array == null ? "none" : array.length));
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
