package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import io.mixspark.gmm.Scoring;
import io.mixspark.gmm.ShapeFamily;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The comparison of docs/SDP.md, "Shape families": on one draw of a {@link ShapeFamily}, the
 * misclustering rate of iLA-SDP ({@link IlaSdp#fit}, all starts), the k-means SDP and the EM variants
 * (full covariance, 10 restarts, Java kernel, seeded by the draw): regCovar 1e-6 (the default), OAS
 * shrinkage ({@code --reg-covar auto}), the mclust prior and regCovar 0.1 from the default start; OAS
 * from small-EM starts ({@code --init small-em}); and, from small-EM starts, a ridge of a tenth of the
 * mean column variance (the regularisation of iLA-SDP's {@code em-ridge} start, which a user gets with
 * {@code fit --init small-em --reg-covar} and that number). Draw s uses seed s for the data and for every method.
 */
final class ShapeFamilyExperiment {

    static final String[] EM_VARIANTS = {"EM regCovar 1e-6", "EM OAS (auto)", "EM prior", "EM OAS small-em",
        "EM regCovar 0.1", "EM ridge 0.1 v small-em"};

    private ShapeFamilyExperiment() {
    }

    /**
     * One draw's rates; emRates in {@link #EM_VARIANTS} order (1.0 when EM failed numerically).
     *
     * @param beforeRounds the misclustering of the winning start's labels before the SDP rounds (after
     *                     the polish); equal to {@code ila} when the winner ran no round
     */
    record Outcome(long seed, double ila, double beforeRounds, double kmeansSdp, double[] emRates,
            String winningStart, List<IlaStart> starts, double seconds) {

        double bestEm() {
            return Arrays.stream(emRates).min().orElseThrow();
        }
    }

    static Outcome run(ShapeFamily family, long seed, IlaSdpOptions options) {
        return run(family, seed, options, true);
    }

    /**
     * One draw; with {@code kmeansSdp} false the k-means SDP's own rate is not computed (NaN), which
     * saves one dense solve per draw.
     */
    static Outcome run(ShapeFamily family, long seed, IlaSdpOptions options, boolean kmeansSdp) {
        long start = System.nanoTime();
        ShapeFamily.Draw draw = family.draw(seed);
        DataBlock points = DataBlock.of(draw.x(), draw.d());
        IlaSdpOptions seeded = options.withSolver(options.solver().withRoundingSeed(seed));
        IlaSdpResult ila = IlaSdp.fit(points, family.k(), seeded);
        int[] sdp = kmeansSdp ? KMeansSdp.fit(points, family.k(), seeded.solver()).labels() : null;
        double[] em = {
            emRate(draw, EmOptions.builder(family.k(), CovarianceType.FULL).nInit(10).kernel("java").seed(seed)
                    .build()),
            emRate(draw, EmOptions.builder(family.k(), CovarianceType.FULL).nInit(10).kernel("java").seed(seed)
                    .shrinkage(CovarianceShrinkage.OAS).build()),
            emRate(draw, EmOptions.builder(family.k(), CovarianceType.FULL).nInit(10).kernel("java").seed(seed)
                    .prior(Prior.DEFAULT).build()),
            emRate(draw, EmOptions.builder(family.k(), CovarianceType.FULL).nInit(10).kernel("java").seed(seed)
                    .shrinkage(CovarianceShrinkage.OAS).initMode(InitMode.SMALL_EM).build()),
            emRate(draw, EmOptions.builder(family.k(), CovarianceType.FULL).nInit(10).kernel("java").seed(seed)
                    .regCovar(0.1).build()),
            emRate(draw, EmOptions.builder(family.k(), CovarianceType.FULL).nInit(10).kernel("java").seed(seed)
                    .regCovar(IlaStarts.RIDGE_SHARE * IlaStarts.meanColumnVariance(points))
                    .initMode(InitMode.SMALL_EM).build()),
        };
        return new Outcome(seed, ClusteringMetrics.misclusteringRate(draw.truth(), ila.labels()),
                ClusteringMetrics.misclusteringRate(draw.truth(), ila.initialLabels()),
                sdp == null ? Double.NaN : ClusteringMetrics.misclusteringRate(draw.truth(), sdp), em,
                ila.winningStart(), ila.starts(),
                (System.nanoTime() - start) / 1e9);
    }

    private static double emRate(ShapeFamily.Draw draw, EmOptions options) {
        try {
            Mixture model = EmFitter.fit(InMemoryBlockData.of(draw.x(), draw.d()), options, FitListener.NONE).model();
            int[] labels = Scoring.predict(JavaLikelihoodKernel.INSTANCE, model, DataBlock.of(draw.x(), draw.d()));
            return ClusteringMetrics.misclusteringRate(draw.truth(), labels);
        } catch (NumericalFailureException e) {
            return 1.0;
        }
    }

    static List<Outcome> run(ShapeFamily family, long firstSeed, long lastSeed, IlaSdpOptions options,
                             boolean kmeansSdp) {
        List<Outcome> out = new ArrayList<>();
        for (long s = firstSeed; s <= lastSeed; s++) {
            Outcome o = run(family, s, options, kmeansSdp);
            System.out.printf(Locale.ROOT, "%s seed %d: ila %.4f (%s) kmeans-sdp %.4f em %s, %.0f s %s%n", family.id(),
                    s, o.ila(), o.winningStart(), o.kmeansSdp(), Arrays.toString(o.emRates()), o.seconds(), o.starts());
            out.add(o);
        }
        return out;
    }

    static double meanIla(List<Outcome> outcomes) {
        return outcomes.stream().mapToDouble(Outcome::ila).average().orElseThrow();
    }

    /** Per-draw lines and a summary table (mean, worst, draws won or tied against the best EM). */
    static String table(ShapeFamily family, List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s (d = %d, K = %d, %d rows per cluster),"
                + " seeds %d-%d%n%n", family.id(), family.d(), family.k(), family.rowsPerCluster(),
                outcomes.get(0).seed(), outcomes.get(outcomes.size() - 1).seed()));
        out.append("| seed | iLA-SDP | before its rounds | k-means SDP | ").append(String.join(" | ", EM_VARIANTS))
                .append(" | best EM | winning start | objective per start | s |\n")
                .append("|---".repeat(EM_VARIANTS.length + 8)).append("|\n");
        for (Outcome o : outcomes) {
            StringBuilder starts = new StringBuilder();
            for (IlaStart s : o.starts()) {
                starts.append(String.format(Locale.ROOT, "%s %.1f, held out %.1f (%d rounds, %.0f s); ", s.name(),
                        s.objective(), s.heldOut(), s.rounds(), s.seconds()));
            }
            out.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f | %s | %.4f | %s | %s| %.1f |%n", o.seed(),
                    o.ila(), o.beforeRounds(),
                    o.kmeansSdp(), String.join(" | ", Arrays.stream(o.emRates())
                            .mapToObj(r -> String.format(Locale.ROOT, "%.4f", r)).toList()),
                    o.bestEm(), o.winningStart(), starts, o.seconds()));
        }
        out.append("\n| method | mean misclustering | worst | draws at or below the best EM + 0.01 |\n")
                .append("|---|---|---|---|\n");
        String[] names = new String[2 + EM_VARIANTS.length + 1];
        names[0] = "iLA-SDP";
        names[1] = "k-means SDP";
        System.arraycopy(EM_VARIANTS, 0, names, 2, EM_VARIANTS.length);
        names[names.length - 1] = "best EM (per draw)";
        for (int m = 0; m < names.length; m++) {
            if (m == 1 && outcomes.stream().allMatch(o -> Double.isNaN(o.kmeansSdp()))) {
                continue;
            }
            int method = m;
            double[] rates = outcomes.stream().mapToDouble(o -> rate(o, method)).toArray();
            long within = outcomes.stream().filter(o -> rate(o, method) <= o.bestEm() + 0.01).count();
            out.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %d / %d |%n", names[m],
                    Arrays.stream(rates).average().orElseThrow(), Arrays.stream(rates).max().orElseThrow(), within,
                    outcomes.size()));
        }
        Map<String, Integer> wins = new TreeMap<>();
        outcomes.forEach(o -> wins.merge(o.winningStart(), 1, Integer::sum));
        out.append("\nwinning start: ").append(wins).append('\n');
        return out.toString();
    }

    private static double rate(Outcome o, int method) {
        if (method == 0) {
            return o.ila();
        }
        if (method == 1) {
            return o.kmeansSdp();
        }
        return method - 2 < o.emRates().length ? o.emRates()[method - 2] : o.bestEm();
    }
}
