package io.mixspark.bench;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Precision;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused E-step (log densities, responsibilities, weighted counts, sums and scatters) of a
 * full-covariance mixture over one 4096-row block, per backend, d, K and arithmetic. Seeded data.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class KernelBenchmark {

    /** Rows per block, as cached by the Spark module. */
    public static final int ROWS = 4096;

    @Param({"java", "native-scalar", "native-avx2", "native-avx512"})
    public String backend;

    @Param({"8", "16", "32", "64", "128"})
    public int d;

    @Param({"4", "16", "64"})
    public int k;

    /** The kernel's arithmetic: double, or float (the products in float, the statistics in double). */
    @Param({"double", "float"})
    public String precision;

    private LikelihoodKernel kernel;
    private Mixture model;
    private DataBlock block;

    @Setup
    public void setUp() {
        kernel = Kernels.named(backend).withPrecision(Precision.of(precision));
        Random random = new Random(42);
        model = RandomMixtures.draw(k, d, CovarianceType.FULL, 2, random);
        block = DataBlock.of(model.sample(ROWS, random, null), d);
    }

    @Benchmark
    public SufficientStatistics expectation() {
        SufficientStatistics stats = SufficientStatistics.zeroFor(model);
        kernel.expectation(block, model, stats);
        return stats;
    }

    /** Floating-point operations the kernel executes per row and component (full covariance). */
    public static double flopsPerRowComponent(int d) {
        // y = (x - mu) P: d(d+1)/2 multiply-adds; scatter lower triangle: d(d+1)/2 multiply-adds;
        // centring, quadratic form, weighting and sums: about 6d more.
        return 2.0 * d * (d + 1) + 6.0 * d;
    }
}
