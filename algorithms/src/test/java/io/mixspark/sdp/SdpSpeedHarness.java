package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.ShapeFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times the dense SDP solvers on shape-family draws, split into PSD projection and the rest, and
 * writes each draw's labels and objective so two runs (or two projection modes) can be compared.
 * Not a test: run by hand, see docs/SDP.md, "Cost".
 *
 * <pre>
 *   java -cp ... [-Dmixspark.psd.full=true] io.mixspark.sdp.SdpSpeedHarness OUT_DIR elongated3:1 mixed4:1 ...
 * </pre>
 *
 * <p>With {@code mixspark.psd.full} every projection is the full eigendecomposition (the solvers
 * before {@link WarmPsdProjection}); with {@code mixspark.harness.ila=false} only the k-means SDP
 * runs.
 */
public final class SdpSpeedHarness {

    private SdpSpeedHarness() {
    }

    public static void main(String[] args) throws IOException {
        WarmPsdProjection.fullOnly = Boolean.getBoolean("mixspark.psd.full");
        boolean withIla = !"false".equals(System.getProperty("mixspark.harness.ila"));
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (int a = 1; a < args.length; a++) {
            String[] parts = args[a].split(":");
            ShapeFamily family = Arrays.stream(ShapeFamily.values()).filter(f -> f.id().equals(parts[0]))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no family " + parts[0]));
            long seed = Long.parseLong(parts[1]);
            ShapeFamily.Draw draw = family.draw(seed);
            DataBlock points = DataBlock.of(draw.x(), draw.d());
            String name = family.id() + "-" + seed;

            long psd0 = PsdClock.nanos();
            long calls0 = PsdClock.calls();
            long full0 = PsdClock.full();
            long chol0 = PsdClock.cholesky();
            long t0 = System.nanoTime();
            SdpResult kmeans = KMeansSdp.fit(points, family.k(), IlaSdpOptions.DEFAULTS.solver());
            report(name, "kmeans-sdp", points.rows(), t0, psd0, calls0, full0, chol0, kmeans.objective(), kmeans.iterations());
            Files.writeString(out.resolve(name + "-kmeans.txt"), kmeans.objective() + "\n"
                    + Arrays.toString(kmeans.labels()) + "\n");

            t0 = System.nanoTime();
            ClusterGaussians gaussians = ClusterGaussians.of(points, draw.truth(), family.k(), 1e-6,
                    ShrinkageRule.OAS);
            LikelihoodMatrices.of(points, gaussians.covariances());
            System.out.printf(Locale.ROOT, "%s likelihood-matrices %.3f s%n", name, (System.nanoTime() - t0) / 1e9);

            if (!withIla) {
                continue;
            }
            psd0 = PsdClock.nanos();
            calls0 = PsdClock.calls();
            full0 = PsdClock.full();
            chol0 = PsdClock.cholesky();
            t0 = System.nanoTime();
            IlaSdpResult ila = IlaSdp.fit(points, family.k(), IlaSdpOptions.DEFAULTS);
            int iterations = ila.rounds().stream().mapToInt(IlaRound::iterations).sum();
            report(name, "ila-sdp", points.rows(), t0, psd0, calls0, full0, chol0, ila.objective(), iterations);
            System.out.printf(Locale.ROOT, "%s ila-sdp starts %s winner %s%n", name, ila.starts(), ila.winningStart());
            Files.writeString(out.resolve(name + "-ila.txt"), ila.objective() + "\n"
                    + Arrays.toString(ila.labels()) + "\n");
        }
    }

    private static void report(String name, String method, int n, long t0, long psd0, long calls0, long full0,
            long chol0, double objective, int iterations) {
        double total = (System.nanoTime() - t0) / 1e9;
        double psd = (PsdClock.nanos() - psd0) / 1e9;
        System.out.printf(Locale.ROOT, "%s %s n=%d total %.2f s, psd %.2f s (%d projections), rest %.2f s,"
                + " %d full, %d Cholesky, objective %.10g, iterations (winner) %d%n", name, method, n, total, psd,
                PsdClock.calls() - calls0, total - psd, PsdClock.full() - full0, PsdClock.cholesky() - chol0, objective,
                iterations);
    }
}
