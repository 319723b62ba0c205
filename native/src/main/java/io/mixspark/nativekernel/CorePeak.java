package io.mixspark.nativekernel;

import io.mixspark.gmm.LikelihoodKernel;
import java.util.Optional;

/**
 * The FP64 FMA peak of one core, measured now: 12 independent FMA chains at an instruction set's
 * vector width (enough to cover the FMA latency times its throughput), timed around the native
 * call, 2 flops per lane and FMA. A kernel is measured with its own instruction set, so
 * {@code native-avx2} gets the AVX2 peak on an AVX-512 machine; the Java kernel gets the widest
 * native one, the machine's peak.
 *
 * @param isa the routine's instruction set
 * @param gflopsPerCore the best of the runs
 */
public record CorePeak(Isa isa, double gflopsPerCore) {

    /** Iterations of one run: a few tens of milliseconds at AVX2 or AVX-512 width. */
    public static final long DEFAULT_ITERATIONS = 20_000_000L;
    /** Runs, of which the best counts: the others were slowed by something else on the core. */
    public static final int DEFAULT_RUNS = 5;

    /** The name of the kernel whose routine this is, for example {@code native-avx2}. */
    public String routine() {
        return "native-" + isa.id();
    }

    /** Doubles per vector of the instruction set's routine (SSE2 registers for scalar). */
    static int lanes(Isa isa) {
        return switch (isa) {
            case SCALAR -> 2;
            case AVX2 -> 4;
            case AVX512 -> 8;
        };
    }

    /** The best of {@code runs} runs of {@code iterations} iterations of {@code isa}'s routine. */
    public static CorePeak measure(Isa isa, long iterations, int runs) {
        if (iterations < 1 || runs < 1) {
            throw new IllegalArgumentException("iterations and runs must be >= 1, got " + iterations + " and " + runs);
        }
        double best = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            double flops = NativeKernels.fmaPeak(isa.ordinal(), iterations);
            best = Math.max(best, flops / (System.nanoTime() - t0));
        }
        return new CorePeak(isa, best);
    }

    /**
     * The peak against which {@code kernel} is judged: its own instruction set's for a native
     * kernel, the widest this CPU runs for any other; empty when the native library did not load.
     */
    public static Optional<CorePeak> forKernel(LikelihoodKernel kernel, long iterations, int runs) {
        if (kernel instanceof NativeLikelihoodKernel n) {
            return Optional.of(measure(n.isa(), iterations, runs));
        }
        if (!NativeLibrary.loaded()) {
            return Optional.empty();
        }
        int mask = NativeKernels.supportedIsaMask();
        Isa widest = Isa.SCALAR;
        for (Isa isa : Isa.values()) {
            if ((mask & (1 << isa.ordinal())) != 0) {
                widest = isa;
            }
        }
        return Optional.of(measure(widest, iterations, runs));
    }
}
