package io.mixspark.sdp;

import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.DistinctRows;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SampledRows;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NearestCentrePass;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SDP clustering of rows in blocks, as {@code mixspark sdp} and the Estimator
 * {@code SdpClustering} run it: the k-means SDP or iLA-SDP, solved densely on the driver, on a
 * driver-side sketch lifted to every row, or by Burer-Monteiro over the partitions. The result
 * is a Gaussian mixture whose most probable component is the SDP's lift rule, so it predicts,
 * scores and persists like an EM model:
 *
 * <ul>
 *   <li>k-means SDP: equal weights, the clusters' means and one shared spherical variance (the
 *       mean squared distance to the nearest centre), the mixture whose classification
 *       likelihood is the k-means criterion; its MAP rule is the nearest centre;</li>
 *   <li>iLA-SDP: the clusters' proportions, means and shrunk covariances (the Gaussian rule).</li>
 * </ul>
 *
 * <p>Nothing here touches Spark: the rows come as {@link BlockData}, and Burer-Monteiro's
 * factor is opened beside them by a {@link FactorDataFactory} ({@link InMemoryFactorData} in
 * memory, {@code SparkFactorData} on the cached RDD, passed by {@code SparkSdpFit}).
 */
public final class SdpFit {

    private SdpFit() {
    }

    /**
     * @param model        the mixture described above
     * @param evaluation   one E-step of it over all rows (log-likelihood, BIC, ...)
     * @param diagnostics  the solver's figures, for metrics.json
     */
    public record Outcome(Mixture model, EmResult evaluation, Map<String, Object> diagnostics) {
    }

    /**
     * Opens the Burer-Monteiro factor beside the rows, where they live. Only the
     * {@code burer-monteiro} solver opens one, and closes it when its solve ends.
     */
    @FunctionalInterface
    public interface FactorDataFactory<D extends BlockData> {
        FactorData open(D rows);
    }

    /**
     * Clusters the rows.
     *
     * @param data      the rows (unweighted); not closed here
     * @param factors   opens the factor beside {@code data} for the Burer-Monteiro solver
     * @param progress  the Burer-Monteiro solver's report of every label check
     * @throws IllegalArgumentException for fewer rows or distinct rows than clusters, or more than the dense
     *                                  solver takes
     */
    public static <D extends BlockData> Outcome fit(D data, SdpSettings settings, FactorDataFactory<D> factors,
                                                    Consumer<String> progress) {
        String kernel = Kernels.passName(settings.kernel());
        long n = data.aggregate(RowCounts.pass()).rows();
        if (n < settings.k()) {
            throw new IllegalArgumentException("the input has " + n + " rows, fewer than k = " + settings.k());
        }
        // As EM's initialisation refuses it: k clusters of fewer than k distinct points leave one empty.
        int distinct = data.aggregate(DistinctRows.upTo(settings.k())).count();
        if (distinct < settings.k()) {
            throw new IllegalArgumentException("found only " + distinct + " distinct rows among the " + n
                    + " rows, fewer than k = " + settings.k() + "; ask for fewer clusters");
        }
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("method", settings.method().id());
        diagnostics.put("solver", settings.solver().id());
        long start = System.nanoTime();
        Mixture model = switch (settings.method()) {
            case KMEANS_SDP -> kmeansMixture(data, kmeansCentres(data, n, settings, factors, progress, diagnostics),
                    settings.k(), kernel);
            case ILA_SDP -> ilaMixture(data, n, settings, diagnostics);
        };
        diagnostics.put("solverSeconds", (System.nanoTime() - start) / 1e9);
        SufficientStatistics last = data.aggregate(new ExpectationPass(model, kernel));
        return new Outcome(model, EmResult.of(model, List.of(), true, last, kernel), diagnostics);
    }

    private static <D extends BlockData> double[] kmeansCentres(D data, long n, SdpSettings s,
                                                                FactorDataFactory<D> factors,
                                                                Consumer<String> progress,
                                                                Map<String, Object> diagnostics) {
        SdpOptions options = SdpOptions.DEFAULTS.withTolerance(s.tolerance()).withMaxIterations(s.maxIterations())
                .withRoundingSeed(s.seed());
        int k = s.k();
        if (s.solver() == SdpSettings.Solver.DENSE) {
            DataBlock rows = allRows(data, n, s.seed());
            SdpResult solve = KMeansSdp.fit(rows, k, options);
            record(diagnostics, "", rows.rows(), solve);
            return SketchAndLift.centroids(rows, solve.labels(), k);
        }
        SketchAndLiftResult sketch = SketchAndLift.fit(data, k, sketchFraction(n, s), s.seed(), options);
        record(diagnostics, "sketch", sketch.sampleSize(), sketch.sample());
        if (s.solver() == SdpSettings.Solver.SKETCH) {
            return sketch.centres();
        }
        BurerMonteiroOptions bm = BurerMonteiroOptions.DEFAULTS.withSeed(s.seed()).withTolerance(s.tolerance())
                .withMaxIterations(s.maxIterations());
        try (FactorData factor = factors.open(data)) {
            BurerMonteiroFit fit = BurerMonteiroSolver.solve(factor, k, bm, sketch.centres(), progress);
            diagnostics.put("objective", fit.objective());
            diagnostics.put("iterations", fit.iterations());
            diagnostics.put("converged", fit.converged());
            diagnostics.put("labelsStable", fit.labelsStable());
            diagnostics.put("infeasibility", fit.infeasibility());
            diagnostics.put("clusterSizes", Arrays.stream(fit.sizes()).boxed().toList());
            return fit.centres();
        }
    }

    /** iLA-SDP on all rows (dense) or on the sketch; its mixture is the Gaussian lift rule. */
    private static Mixture ilaMixture(BlockData data, long n, SdpSettings s, Map<String, Object> diagnostics) {
        IlaSdpOptions options = s.ila().applyTo(IlaSdpOptions.DEFAULTS.withSolver(SdpOptions.DEFAULTS
                .withTolerance(s.tolerance()).withMaxIterations(s.maxIterations()).withRoundingSeed(s.seed())));
        boolean dense = s.solver() == SdpSettings.Solver.DENSE;
        IlaSdpResult fit = dense ? IlaSdp.fit(allRows(data, n, s.seed()), s.k(), options)
                : IlaSdp.fitSketch(data, s.k(), sketchFraction(n, s), s.seed(), options);
        diagnostics.put(dense ? "rows" : "sketchRows", fit.labels().length);
        diagnostics.put("rounds", fit.rounds().size());
        // A winner that ran no SDP round has nothing to have converged.
        diagnostics.put("converged", fit.rounds().isEmpty() ? null : fit.converged());
        diagnostics.put("objective", fit.objective());
        diagnostics.put("winningStart", fit.winningStart());
        List<Map<String, Object>> starts = new ArrayList<>();
        for (IlaStart start : fit.starts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", start.name());
            entry.put("startObjective", start.startObjective());
            entry.put("objective", start.objective());
            entry.put("heldOut", Double.isNaN(start.heldOut()) ? null : start.heldOut());
            entry.put("rounds", start.rounds());
            entry.put("converged", start.rounds() == 0 ? null : start.converged());
            entry.put("seconds", start.seconds());
            starts.add(entry);
        }
        diagnostics.put("starts", starts);
        List<Map<String, Object>> shrinkage = new ArrayList<>();
        for (int c = 0; c < fit.k(); c++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("cluster", c);
            entry.put("rule", options.shrinkage().id());
            entry.put("target", fit.shrinkage().get(c).target());
            entry.put("intensity", fit.shrinkage().get(c).intensity());
            shrinkage.add(entry);
        }
        diagnostics.put("shrinkage", shrinkage);
        return fit.mixture();
    }

    /**
     * The dense solve's figures, under keys with the prefix (camel-cased), with its certificate of
     * optimality of the rounded partition of those rows (docs/SDP.md, "Certificate of optimality").
     */
    private static void record(Map<String, Object> diagnostics, String prefix, int rows, SdpResult solve) {
        diagnostics.put(key(prefix, "rows"), rows);
        diagnostics.put(key(prefix, "objective"), solve.objective());
        diagnostics.put(key(prefix, "iterations"), solve.iterations());
        diagnostics.put(key(prefix, "converged"), solve.converged());
        KMeansSdpCertificate certificate = solve.certificate();
        if (certificate != null) {
            diagnostics.put(key(prefix, "primalObjective"), certificate.primalObjective());
            diagnostics.put(key(prefix, "dualBound"), certificate.dualBound());
            diagnostics.put(key(prefix, "partitionCost"), certificate.partitionCost());
            diagnostics.put(key(prefix, "relativeGap"), certificate.relativeGap());
            diagnostics.put(key(prefix, "certifiedOptimal"), certificate.certifiedOptimal());
        }
    }

    static String key(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Every row on the driver, refused above the dense solver's limit. */
    static DataBlock allRows(BlockData data, long n, long seed) {
        if (n > SdpSettings.DENSE_MAX_ROWS) {
            throw new IllegalArgumentException("the dense solver takes at most " + SdpSettings.DENSE_MAX_ROWS
                    + " rows and the input has " + n + "; use --solver sketch or burer-monteiro");
        }
        DataBlock sorted = data.aggregate(SampledRows.uniform(data.dimension(), 1.0, seed)).toSortedBlock();
        return new DataBlock(sorted.values(), null, sorted.rows(), sorted.d());
    }

    static double sketchFraction(long n, SdpSettings s) {
        return Math.min(1.0, (double) s.sketchRows() / n);
    }

    /**
     * Equal weights, the centres, and one spherical variance shared by all: the mean squared
     * distance of a row to its nearest centre (plus a floor, so a perfect fit stays positive
     * definite). Its most probable component is the nearest centre.
     */
    static Mixture kmeansMixture(BlockData data, double[] centres, int k, String kernel) {
        int d = data.dimension();
        SufficientStatistics hard = data.aggregate(new NearestCentrePass(centres, k, false, kernel));
        double within = 0;
        for (double v : hard.scattersView()) {
            within += v;
        }
        double variance = within / (hard.totalWeight() * d) + EmOptions.DEFAULT_REG_COVAR;
        double[] weights = new double[k];
        double[][] means = new double[k][];
        double[][] covariances = new double[k][];
        for (int c = 0; c < k; c++) {
            weights[c] = 1.0 / k;
            means[c] = Arrays.copyOfRange(centres, c * d, c * d + d);
            covariances[c] = new double[] {variance};
        }
        return new Mixture(CovarianceType.SPHERICAL, weights, means, covariances);
    }
}
