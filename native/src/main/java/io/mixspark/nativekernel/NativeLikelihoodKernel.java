package io.mixspark.nativekernel;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.gmm.JavaFloatLikelihoodKernel;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Precision;
import io.mixspark.gmm.SufficientStatistics;

/**
 * A likelihood kernel in C for one instruction set. The base class has checked every argument;
 * this class only lays the mixture out as flat arrays (once per mixture) and calls JNI.
 *
 * <p>The library pins the arrays for a slice of rows at a time; a pin that fails raises
 * {@link OutOfMemoryError} with every array released, but slices already done have added into the
 * statistics, which are then undefined (the row count is not added, the sums may be).
 */
public final class NativeLikelihoodKernel extends LikelihoodKernel {

    private final Isa isa;
    private final Precision precision;
    /** The instruction set and arithmetic as the library numbers them (dispatch.c, kernels_for). */
    private final int variant;
    /** This instruction set in the other arithmetic. */
    private final NativeLikelihoodKernel sibling;
    private volatile Packed packed;

    NativeLikelihoodKernel(Isa isa) {
        this(isa, Precision.DOUBLE, null);
    }

    private NativeLikelihoodKernel(Isa isa, Precision precision, NativeLikelihoodKernel sibling) {
        this.isa = isa;
        this.precision = precision;
        this.variant = isa.ordinal() + (precision == Precision.FLOAT ? NativeKernels.FLOAT_ARITHMETIC : 0);
        this.sibling = sibling != null ? sibling : new NativeLikelihoodKernel(isa, Precision.FLOAT, this);
    }

    public Isa isa() {
        return isa;
    }

    /**
     * Measures this instruction set's FP64 FMA throughput on one core, in GFLOP/s, with
     * independent FMA chains (the peak the kernels are compared against).
     */
    public double measurePeakGflops(long iterations) {
        long t0 = System.nanoTime();
        double flops = NativeKernels.fmaPeak(isa.ordinal(), iterations);
        return flops / (System.nanoTime() - t0);
    }

    @Override
    public String name() {
        return "native-" + isa.id();
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public LikelihoodKernel withPrecision(Precision wanted) {
        return wanted == precision ? this : sibling;
    }

    @Override
    protected void expectationKernel(DataBlock block, Mixture model, SufficientStatistics into) {
        Packed p = pack(model);
        double[] totals = new double[4];
        NativeKernels.expectation(variant, block.values(), block.weights(), block.rows(), model.d(), model.k(),
                p.type, model.meansView(), p.precision, p.logDet, p.logWeight, countsOf(into), sumsOf(into),
                scattersOf(into), totals);
        addTotals(into, (long) totals[0], totals[1], totals[2], totals[3]);
    }

    @Override
    protected void expectationKernel(FloatBlock block, Mixture model, SufficientStatistics into) {
        Packed p = pack(model);
        double[] totals = new double[4];
        NativeKernels.expectationFloat(variant, block.offsets(), block.columnMeans(), block.weights(),
                block.rows(), model.d(), model.k(), p.type, model.meansView(), p.precision, p.logDet, p.logWeight,
                countsOf(into), sumsOf(into), scattersOf(into), totals);
        addTotals(into, (long) totals[0], totals[1], totals[2], totals[3]);
    }

    @Override
    protected void logJointKernel(DataBlock block, Mixture model, double[] out) {
        Packed p = pack(model);
        NativeKernels.logJoint(variant, block.values(), block.rows(), model.d(), model.k(), p.type,
                model.meansView(), p.precision, p.logDet, p.logWeight, out);
    }

    @Override
    protected void nearestCentresKernel(DataBlock block, double[] centres, int k, int[] labels, double[] distances) {
        NativeKernels.nearestCentres(isa.ordinal(), block.values(), block.rows(), block.d(), centres, k, labels,
                distances);
    }

    /** The mixture's precision factors, log-determinants and log-weights as flat arrays. */
    private Packed pack(Mixture model) {
        Packed p = packed;
        if (p == null || p.model != model) {
            p = new Packed(model, precision);
            packed = p;
        }
        return p;
    }

    private static final class Packed {
        final Mixture model;
        final int type;
        final double[] precision;
        final double[] logDet;
        final double[] logWeight;

        /** In float, the log-determinants are those of the factors rounded to float (see JavaFloatLikelihoodKernel). */
        Packed(Mixture model, Precision arithmetic) {
            this.model = model;
            this.type = switch (model.covarianceType().storage()) {
                case FULL -> 0;
                case DIAG -> 1;
                case SPHERICAL -> 2;
                case TIED -> 3;
            };
            int k = model.k();
            int size = model.precisionFactorView(0).length;
            precision = new double[k * size];
            logDet = new double[k];
            logWeight = new double[k];
            for (int c = 0; c < k; c++) {
                System.arraycopy(model.precisionFactorView(c), 0, precision, c * size, size);
                logDet[c] = arithmetic == Precision.FLOAT ? JavaFloatLikelihoodKernel.roundedLogDetPrecisionFactor(model, c)
                        : model.logDetPrecisionFactor(c);
                logWeight[c] = model.logWeight(c);
            }
        }
    }
}
