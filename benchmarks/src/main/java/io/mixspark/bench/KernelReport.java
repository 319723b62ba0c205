package io.mixspark.bench;

import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.nativekernel.NativeLikelihoodKernel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link KernelBenchmark} and prints a Markdown table: rows/s and GFLOP/s per core for each
 * backend next to the FP64 FMA peak of this core, measured in the same run.
 *
 * <p>Arguments are JMH parameter overrides, for example {@code d=32,64 k=16 backend=java,native-avx512}.
 */
public final class KernelReport {

    private KernelReport() {
    }

    public static void main(String[] args) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(KernelBenchmark.class.getSimpleName());
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.param(kv[0], kv[1].split(","));
        }
        double peak = measurePeak();
        Collection<RunResult> results = new Runner(options.build()).run();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "FP64 FMA peak of one core (%s): %.1f GFLOP/s", bestNative(), peak));
        lines.add("");
        lines.add("| backend | arithmetic | d | K | rows/s | GFLOP/s | % of FP64 peak |");
        lines.add("|---|---|---:|---:|---:|---:|---:|");
        for (RunResult r : results) {
            String backend = r.getParams().getParam("backend");
            int d = Integer.parseInt(r.getParams().getParam("d"));
            int k = Integer.parseInt(r.getParams().getParam("k"));
            double rowsPerSecond = r.getPrimaryResult().getScore() * KernelBenchmark.ROWS;
            double gflops = rowsPerSecond * k * KernelBenchmark.flopsPerRowComponent(d) / 1e9;
            lines.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.3g | %.2f | %.0f%% |", backend,
                    r.getParams().getParam("precision"), d, k, rowsPerSecond, gflops, 100 * gflops / peak));
        }
        lines.forEach(System.out::println);
    }

    /** Best of five one-second runs of independent FMA chains at the widest native width. */
    static double measurePeak() {
        for (LikelihoodKernel kernel : Kernels.available()) {
            if (kernel instanceof NativeLikelihoodKernel n) {
                double best = 0;
                long iterations = 50_000_000L;
                for (int i = 0; i < 5; i++) {
                    best = Math.max(best, n.measurePeakGflops(iterations));
                }
                return best;
            }
        }
        return Double.NaN;
    }

    private static String bestNative() {
        return Kernels.available().get(0).name();
    }
}
