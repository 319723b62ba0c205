package io.mixspark.sdp;

import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Scoring;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Iterative likelihood-adjusted SDP clustering, iLA-SDP (Zhuang, Chen and Yang, "Likelihood
 * adjusted semidefinite programs for clustering heterogeneous data", ICML 2023, arXiv 2209.15097):
 * the cluster labels are parameters of a Gaussian mixture with one covariance S_k per cluster, and
 * each round lifts the labelling to K membership matrices and solves an SDP relaxation of the exact
 * (profile) likelihood.
 *
 * <p><b>Formulation.</b> With the means profiled out, the Gaussian log-likelihood of a partition
 * G_1..G_K is sum_k &lt;A_k, B_k&gt; - (n d / 2) log 2 pi, B_k = 1_{G_k} 1_{G_k}^T / |G_k| and
 * (A_k)_ij = -1/4 (x_i - x_j)^T S_k^{-1} (x_i - x_j) - 1/2 log det S_k ({@code LikelihoodMatrices}).
 * Relaxing the B_k gives
 *
 * <pre>
 *   maximise sum_k &lt;A_k, Z_k&gt;  subject to  Z_k PSD,  Z_k &gt;= 0,  tr Z_k = 1,  sum_k Z_k 1 = 1,
 * </pre>
 *
 * solved by the dense ADMM {@code CoupledBlockSdp}. With all S_k equal to S it is the Peng-Wei
 * k-means SDP on the rows whitened by S (Z = sum_k Z_k is Peng-Wei feasible, every Peng-Wei feasible
 * Z splits as Z_k = Z / K, and the objective becomes 1/2 &lt;Y Y^T, Z&gt; plus a constant).
 *
 * <p><b>Rounds.</b> Start from labels (see {@link #fit} for the starts tried); then repeat until
 * no label changes or {@link IlaSdpOptions#maxRounds()}: estimate S_k from the current labels
 * ({@code ClusterGaussians}: maximum-likelihood covariance, shrunk toward a scaled identity by
 * {@link IlaSdpOptions#shrinkage()}, a ridge regCovar), solve starting from the current membership matrices (and the
 * previous round's duals), round ({@link IlaRounding}). Block k keeps its covariance's identity, so
 * the rounded labels are compared with the previous ones as they are, not up to relabelling. If a
 * rounding empties a cluster the rounds stop with the previous labels (not converged).
 *
 * <p><b>Lift.</b> The result holds the full-covariance {@link io.mixspark.gmm.Mixture} of the final
 * clusters (means, the same shrunk covariances, proportions |G_k| / n). Its MAP rule labels any row:
 * {@link #fitSketch} solves on a hashed sample and a Spark job broadcasts the mixture;
 * {@link #assign} does it in memory.
 *
 * <p><b>Against the paper.</b> Only the paper's abstract was available to check, so the relaxation
 * above is derived from it and verified numerically (the likelihood identity and the collapse to
 * the k-means SDP are unit tests). Choices made here that the paper may make differently:
 * <ul>
 *   <li>the likelihood is the classification likelihood without mixing proportions; they enter
 *       only the lift's MAP rule;</li>
 *   <li>covariances are shrunk toward a scaled identity, by default by OAS, the rule EM's
 *       {@code --reg-covar auto} uses, so the two are compared with the same regularisation;
 *       Ledoit-Wolf shrinks a cluster contaminated by rows of the other shape harder (see
 *       {@link LedoitWolfShrinkage}) and remains an option;</li>
 *   <li>several starts (k-means SDP, two EM fits, random) are polished by classification EM on the
 *       same objective, the best of them runs the rounds, and the winner is the labeling with the
 *       best cross-validated likelihood, or the best objective when cross-validation cannot tell
 *       them apart ({@link #fit}, {@link IlaSelection});</li>
 *   <li>the default rounding is {@link IlaRounding#SPECTRAL}, the k-means SDP rounding of
 *       sum_k Z_k followed by a matching of groups to blocks;</li>
 *   <li>each solve is an ADMM of moderate accuracy (relative residuals 1e-3 by default).</li>
 * </ul>
 * Like EM, the rounds climb to a local optimum of the likelihood: when the start cuts the
 * elongated cluster of a pair in two, the cut part's shape is lost from its covariance and the
 * rounds keep the cut (docs/SDP.md shows such draws).
 *
 * <p><b>Cost.</b> K eigendecompositions of n x n per ADMM iteration, so one or two thousand rows
 * at most; sketch larger data.
 */
public final class IlaSdp {

    private IlaSdp() {
    }

    /**
     * Clusters the rows of {@code points} from several starts and keeps the best labels
     * ({@link IlaSelection}). The starts: the k-means SDP labels; the MAP
     * partitions of two EM fits (full covariance, {@link IlaSdpOptions#emRestarts()} restarts from
     * small-EM starts), one with OAS shrinkage ({@code em}), one with a ridge of a tenth of the mean
     * column variance ({@code em-ridge}), each skipped when 0 or when a cluster is empty; and
     * {@link IlaSdpOptions#randomStarts()} random partitions. A start cut by K-means (an elongated
     * cluster split across) keeps its cut under the rounds, so starts that do not come from K-means
     * give the likelihood a chance to tell.
     *
     * <p>Every start is first polished by classification EM on the same objective
     * ({@link IlaStarts#polish}); the {@link IlaSdpOptions#roundStarts()} best polished starts then
     * run the SDP rounds ({@link #fitFrom}), and the others compete with their polished labels. Each
     * dense round costs K eigendecompositions of n x n per ADMM iteration, a polish step O(n d^2 K),
     * so the rounds go where they can matter. "Best" is {@link IlaSelection}'s: the cross-validated
     * log-likelihood of the labels, or the objective when cross-validation cannot tell two apart.
     *
     * @param points unweighted rows
     * @throws IllegalArgumentException if k is not in 1..n or a row weight differs from 1
     */
    public static IlaSdpResult fit(DataBlock points, int k, IlaSdpOptions options) {
        KMeansSdp.requireInput(points, k, options);
        List<String> names = new ArrayList<>();
        List<IlaStarts.Scored> polished = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        long clock = System.nanoTime();
        int[] kmeans = KMeansSdp.fit(points, k, options.solver()).labels();
        addStart(names, polished, seconds, "kmeans-sdp", kmeans, clock, points, k, options);
        if (k > 1) {
            clock = System.nanoTime();
            addStart(names, polished, seconds, "em", IlaStarts.em(points, k, options), clock, points, k, options);
            clock = System.nanoTime();
            addStart(names, polished, seconds, "em-ridge", IlaStarts.emRidge(points, k, options), clock, points, k,
                    options);
            for (int r = 0; r < options.randomStarts(); r++) {
                clock = System.nanoTime();
                int[] random = IlaStarts.random(points.rows(), k, options.solver().roundingSeed() + r);
                addStart(names, polished, seconds, "random-" + (r + 1), random, clock, points, k, options);
            }
        }
        List<IlaSelection.Scored> scored = new ArrayList<>();
        for (IlaStarts.Scored start : polished) {
            scored.add(IlaSelection.score(points, start.labels(), k, start.objective(), options));
        }
        List<Integer> ranking = IlaSelection.ranking(scored);
        IlaSdpResult[] fits = new IlaSdpResult[names.size()];
        IlaSelection.Scored[] finals = new IlaSelection.Scored[names.size()];
        double[] spent = new double[names.size()];
        for (int rank = 0; rank < ranking.size(); rank++) {
            int s = ranking.get(rank);
            clock = System.nanoTime();
            if (rank < options.roundStarts()) {
                fits[s] = fitFrom(points, k, polished.get(s).labels(), options);
                finals[s] = IlaSelection.score(points, fits[s].labels(), k, fits[s].objective(), options);
            } else {
                fits[s] = unrounded(k, polished.get(s));
                finals[s] = scored.get(s);
            }
            spent[s] = seconds.get(s) + (System.nanoTime() - clock) / 1e9;
        }
        int chosen = IlaSelection.best(List.of(finals));
        IlaSdpResult best = fits[chosen];
        String winner = names.get(chosen);
        List<IlaStart> starts = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            IlaSdpResult fit = fits[s];
            double heldOut = finals[s].heldOut() == null ? Double.NaN : finals[s].heldOutTotal();
            starts.add(new IlaStart(names.get(s), polished.get(s).objective(), fit.objective(), heldOut,
                    fit.rounds().size(), fit.converged(), spent[s]));
        }
        return best.withStarts(starts, winner);
    }

    private static void addStart(List<String> names, List<IlaStarts.Scored> polished, List<Double> seconds,
                                 String name, int[] labels, long since, DataBlock points, int k,
                                 IlaSdpOptions options) {
        if (labels == null) {
            return;
        }
        names.add(name);
        polished.add(IlaStarts.polish(points, labels, k, options));
        seconds.add((System.nanoTime() - since) / 1e9);
    }

    /**
     * Clusters the rows of {@code points}, starting from the given labels.
     *
     * @param initialLabels one label in 0..k-1 per row, every cluster non-empty
     * @throws IllegalArgumentException if the inputs are invalid or a start cluster is empty
     */
    public static IlaSdpResult fitFrom(DataBlock points, int k, int[] initialLabels, IlaSdpOptions options) {
        KMeansSdp.requireInput(points, k, options);
        int n = points.rows();
        if (initialLabels == null || initialLabels.length != n) {
            throw new IllegalArgumentException(n + " rows need " + n + " initial labels, got "
                    + (initialLabels == null ? "none" : initialLabels.length));
        }
        // Checks the range and that no start cluster is empty.
        ClusterGaussians gaussians = ClusterGaussians.of(points, initialLabels, k, options.regCovar(),
                options.shrinkage());
        double startObjective = gaussians.logLikelihood(points, initialLabels);
        int[] labels = initialLabels.clone();
        List<IlaRound> rounds = new ArrayList<>();
        boolean converged = k == 1;
        Random random = new Random(options.solver().roundingSeed());
        double constant = LikelihoodMatrices.gaussianConstant(n, points.d());
        CoupledBlockSdp.Duals duals = null;
        while (!converged && rounds.size() < options.maxRounds()) {
            double[][] a = LikelihoodMatrices.of(points, gaussians.covariances());
            CoupledBlockSdp.Solution solve = CoupledBlockSdp.solve(a, n, CoupledBlockSdp.memberships(labels, k),
                    duals, options.solver());
            duals = solve.duals();
            int[] next = options.rounding().round(solve.z(), n, random);
            int changed = 0;
            for (int i = 0; i < n; i++) {
                changed += next[i] != labels[i] ? 1 : 0;
            }
            rounds.add(new IlaRound(LikelihoodMatrices.value(a, solve.z()) - constant,
                    LikelihoodMatrices.membershipValue(a, next) - constant, changed, solve.iterations(),
                    solve.converged()));
            if (hasEmptyCluster(next, k)) {
                break;
            }
            labels = next;
            converged = changed == 0;
            gaussians = ClusterGaussians.of(points, labels, k, options.regCovar(), options.shrinkage());
        }
        return result(k, labels, gaussians, gaussians.logLikelihood(points, labels), startObjective, initialLabels,
                rounds, converged);
    }

    /** The polished labels of a start that runs no round, with the Gaussians the polish estimated. */
    private static IlaSdpResult unrounded(int k, IlaStarts.Scored start) {
        return result(k, start.labels().clone(), start.gaussians(), start.objective(), start.objective(),
                start.labels(), List.of(), false);
    }

    private static IlaSdpResult result(int k, int[] labels, ClusterGaussians gaussians, double objective,
                                       double startObjective, int[] initialLabels, List<IlaRound> rounds,
                                       boolean converged) {
        return new IlaSdpResult(labels, k, gaussians.toMixture(), initialLabels.clone(), rounds, converged, objective,
                List.of(gaussians.shrinkage()),
                List.of(new IlaStart("given", startObjective, objective, Double.NaN, rounds.size(), converged, 0)),
                "given");
    }

    /**
     * Sketch and lift: keeps each row with probability gamma ({@link SampledRows#uniform}, sorted by
     * hash key so a seeded fit is reproducible whatever the partitioning), runs {@link #fit} on the
     * sample and returns it; the result's mixture lifts the labels to every row (see {@link #assign}).
     *
     * @param gamma sampling probability of each row, in (0, 1]
     * @param seed  seed of the row hash (and so of the sample)
     * @throws IllegalArgumentException if the arguments are invalid, a row weight differs from 1, or
     *     the sample holds fewer than k rows
     */
    public static IlaSdpResult fitSketch(BlockData data, int k, double gamma, long seed, IlaSdpOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        return fit(SketchAndLift.sample(data, k, gamma, seed), k, options);
    }

    /** The lift in memory: the MAP component of the fit's mixture for every row, in block order. */
    public static int[] assign(InMemoryBlockData data, IlaSdpResult fit) {
        if (data.dimension() != fit.mixture().d()) {
            throw new IllegalArgumentException("data has " + data.dimension() + " columns, the mixture "
                    + fit.mixture().d());
        }
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (DataBlock block : data.blocks()) {
            int[] part = Scoring.predict(JavaLikelihoodKernel.INSTANCE, fit.mixture(), block);
            parts.add(part);
            total += part.length;
        }
        int[] labels = new int[total];
        int offset = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, labels, offset, part.length);
            offset += part.length;
        }
        return labels;
    }

    static boolean hasEmptyCluster(int[] labels, int k) {
        boolean[] seen = new boolean[k];
        int distinct = 0;
        for (int label : labels) {
            if (!seen[label]) {
                seen[label] = true;
                distinct++;
            }
        }
        return distinct < k;
    }
}
