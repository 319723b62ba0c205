package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mixspark.gmm.JavaLikelihoodKernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The FP64 FMA peak routine of every instruction set this CPU runs: each performs the flops of
 * its own vector width and measures a positive, finite rate. No timing ratios: machines are shared.
 */
class CorePeakTest {

    private static final long ITERATIONS = 200_000;

    private static List<Isa> supported() {
        assumeTrue(NativeLibrary.loaded(), "native library not loaded: " + NativeLibrary.failure());
        List<Isa> out = new ArrayList<>();
        for (Isa isa : Isa.values()) {
            if ((NativeKernels.supportedIsaMask() & (1 << isa.ordinal())) != 0) {
                out.add(isa);
            }
        }
        return out;
    }

    @Test
    void eachInstructionSetRunsTwelveChainsOfItsOwnWidth() {
        for (Isa isa : supported()) {
            int lanes = CorePeak.lanes(isa);
            assertEquals(2.0 * 12 * lanes * ITERATIONS, NativeKernels.fmaPeak(isa.ordinal(), ITERATIONS), isa.id());
        }
        assertEquals(List.of(2, 4, 8), List.of(CorePeak.lanes(Isa.SCALAR), CorePeak.lanes(Isa.AVX2),
                CorePeak.lanes(Isa.AVX512)));
    }

    @Test
    void eachInstructionSetMeasuresAPositiveFiniteRate() {
        for (Isa isa : supported()) {
            CorePeak peak = CorePeak.measure(isa, ITERATIONS, 2);
            assertEquals(isa, peak.isa());
            assertTrue(peak.gflopsPerCore() > 0 && Double.isFinite(peak.gflopsPerCore()), peak.toString());
        }
    }

    /** native-avx2 is measured with the AVX2 routine even where AVX-512 runs; java with the widest. */
    @Test
    void aKernelIsMeasuredWithItsOwnInstructionSet() {
        List<Isa> isas = supported();
        for (Isa isa : isas) {
            assertEquals(isa, CorePeak.forKernel(new NativeLikelihoodKernel(isa), ITERATIONS, 1).orElseThrow().isa());
        }
        Isa widest = isas.get(isas.size() - 1);
        assertEquals(widest, CorePeak.forKernel(JavaLikelihoodKernel.INSTANCE, ITERATIONS, 1).orElseThrow().isa());
        assertEquals("native-" + widest.id(), CorePeak.forKernel(JavaLikelihoodKernel.INSTANCE, ITERATIONS, 1)
                .orElseThrow().routine());
    }
}
