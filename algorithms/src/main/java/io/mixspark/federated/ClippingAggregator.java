package io.mixspark.federated;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;

/**
 * Wraps any pass so that it sees every row scaled into the L2 ball of radius B, x * min(1, B /
 * ||x||), and every row weight clipped to [0, 1]: the bounded contribution per row that the
 * sensitivities of {@link PrivateFederatedEm} rely on (as DP-EM, Park et al., AISTATS 2017,
 * assumes ||x|| <= 1). The blocks are copied; the data is never modified.
 */
public final class ClippingAggregator<A> implements BlockAggregator<A> {

    private static final long serialVersionUID = 1L;

    private final BlockAggregator<A> inner;
    private final double clipNorm;

    public ClippingAggregator(BlockAggregator<A> inner, double clipNorm) {
        if (inner == null) {
            throw new IllegalArgumentException("the wrapped pass is required");
        }
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number > 0, got " + clipNorm);
        }
        this.inner = inner;
        this.clipNorm = clipNorm;
    }

    /** The E-step of {@code model} over clipped rows. */
    public static ClippingAggregator<SufficientStatistics> expectation(Mixture model, String kernel,
                                                                       double clipNorm) {
        return new ClippingAggregator<>(new ExpectationPass(model, kernel), clipNorm);
    }

    @Override
    public A zero() {
        return inner.zero();
    }

    @Override
    public A add(A accumulator, DataBlock block) {
        return inner.add(accumulator, clip(block, clipNorm));
    }

    @Override
    public A merge(A left, A right) {
        return inner.merge(left, right);
    }

    @Override
    public String kernelUsed() {
        return inner.kernelUsed();
    }

    /** A copy of the block with rows scaled to norm at most B and weights clipped to [0, 1]. */
    public static DataBlock clip(DataBlock block, double clipNorm) {
        int d = block.d();
        int rows = block.rows();
        double[] x = block.values();
        double[] v = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int a = 0; a < d; a++) {
                sq += x[i * d + a] * x[i * d + a];
            }
            double norm = Math.sqrt(sq);
            double scale = norm > clipNorm ? clipNorm / norm : 1.0;
            for (int a = 0; a < d; a++) {
                v[i * d + a] = x[i * d + a] * scale;
            }
        }
        double[] w = null;
        if (block.weights() != null) {
            w = new double[rows];
            for (int i = 0; i < rows; i++) {
                w[i] = Math.min(1.0, Math.max(0.0, block.weights()[i]));
            }
        }
        return new DataBlock(v, w, rows, d);
    }
}
