package io.mixspark.nativekernel;

/**
 * The JNI entry points. Callers must have checked every shape and length: the C code trusts
 * them (see {@link NativeLikelihoodKernel}, whose base class does the checks).
 */
final class NativeKernels {

    /**
     * Added to an {@link Isa} ordinal for the kernels in float arithmetic ({@code expectation},
     * {@code expectationFloat}, {@code logJoint}); the others take the plain ordinal.
     */
    static final int FLOAT_ARITHMETIC = 16;

    private NativeKernels() {
    }

    /**
     * Test hook (fault injection): the calling thread's next {@code pins} array pins succeed and
     * the one after fails as {@code GetPrimitiveArrayCritical} may, returning NULL; then pinning
     * is normal again. A negative value switches it off.
     */
    static native void failPinAfter(int pins);

    /** Bit i is set when {@link Isa} ordinal i can run on this CPU. */
    static native int supportedIsaMask();

    static native void expectation(int isa, double[] x, double[] weights, int rows, int d, int k, int type,
                                   double[] means, double[] precision, double[] logDet, double[] logWeight,
                                   double[] counts, double[] sums, double[] scatters, double[] totals);

    /** The E-step over float rows, x = shift + offsets, converted to double as each chunk is loaded. */
    static native void expectationFloat(int isa, float[] offsets, double[] shift, double[] weights, int rows, int d,
                                        int k, int type, double[] means, double[] precision, double[] logDet,
                                        double[] logWeight, double[] counts, double[] sums, double[] scatters,
                                        double[] totals);

    static native void logJoint(int isa, double[] x, int rows, int d, int k, int type, double[] means,
                                double[] precision, double[] logDet, double[] logWeight, double[] out);

    /** Runs independent FMA chains at the instruction set's width; returns the flops performed. */
    static native double fmaPeak(int isa, long iterations);

    static native void nearestCentres(int isa, double[] x, int rows, int d, double[] centres, int k, int[] labels,
                                      double[] distances);
}
