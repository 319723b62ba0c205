package io.mixspark.gmm;

import io.mixspark.data.BlockAggregator;

/**
 * A pass whose result is sufficient statistics, computed with a likelihood kernel that each JVM
 * (driver or executor) looks up by name the first time it needs it.
 */
abstract class StatisticsPass implements BlockAggregator<SufficientStatistics> {

    private static final long serialVersionUID = 1L;

    private final KernelRef kernel;

    StatisticsPass(String kernelName) {
        this.kernel = new KernelRef(kernelName);
    }

    @Override
    public final SufficientStatistics zero() {
        return SufficientStatistics.empty();
    }

    @Override
    public final SufficientStatistics merge(SufficientStatistics left, SufficientStatistics right) {
        return left.isEmpty() ? right : left.merge(right);
    }

    /** The name of the kernel this JVM runs the pass with. */
    @Override
    public final String kernelUsed() {
        return kernel.used();
    }

    /** The size of statistics for k components in d dimensions: counts, sums and scatters in doubles. */
    static long statisticsBytes(int k, int d, boolean fullScatter) {
        return 8L * k * (1 + d + (fullScatter ? (long) d * d : d));
    }

    /** The kernel's pass name, as the pass was built with it. */
    final String kernelName() {
        return kernel.passName();
    }

    final LikelihoodKernel kernel() {
        return kernel.get();
    }
}
