package io.mixspark.federated;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy mixture reduction by Runnalls' KL-bound cost (A. R. Runnalls, "Kullback-Leibler
 * approach to Gaussian mixture reduction", IEEE Trans. Aerospace and Electronic Systems, 2007):
 * repeatedly merge the pair of components whose merge costs least, until k remain. It starts
 * {@link MixtureReduction}'s MM iterations (Zhang &amp; Chen, JMLR 2022); starting from one site's
 * model instead fails when sites hold different subsets of the components.
 *
 * <p>Merging i and j keeps the first two moments: w_ij = w_i + w_j, mu_ij = (w_i mu_i + w_j mu_j)
 * / w_ij and P_ij = (w_i P_i + w_j P_j) / w_ij + (w_i w_j / w_ij^2)(mu_i - mu_j)(mu_i - mu_j)^T
 * (an outer product). The cost is B = 1/2 [w_ij log|P_ij| - w_i log|P_i| - w_j log|P_j|], with
 * log-determinants from Cholesky factors.
 */
public final class RunnallsMerging {

    private RunnallsMerging() {
    }

    /**
     * A merged pair.
     *
     * @param weight     w_i + w_j
     * @param mean       the weighted mean
     * @param covariance the moment-matched covariance, row-major d x d
     */
    public record Merged(double weight, double[] mean, double[] covariance) {
    }

    /** Runnalls' moment-preserving merge of two weighted Gaussians (covariances row-major d x d). */
    public static Merged merge(double wi, double[] mui, double[] covi, double wj, double[] muj, double[] covj) {
        int d = mui.length;
        if (!(wi > 0) || !(wj > 0)) {
            throw new IllegalArgumentException("merged weights must be positive, got " + wi + " and " + wj);
        }
        double w = wi + wj;
        double[] mean = new double[d];
        double[] diff = new double[d];
        for (int a = 0; a < d; a++) {
            mean[a] = (wi * mui[a] + wj * muj[a]) / w;
            diff[a] = mui[a] - muj[a];
        }
        double outer = wi * wj / (w * w);
        double[] cov = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a * d + b] = (wi * covi[a * d + b] + wj * covj[a * d + b]) / w + outer * diff[a] * diff[b];
            }
        }
        GaussianAlgebra.symmetriseFromLower(cov, d);
        return new Merged(w, mean, cov);
    }

    /**
     * Runnalls' cost of merging i and j: B = 1/2 [w_ij log|P_ij| - w_i log|P_i| - w_j log|P_j|],
     * an upper bound on the KL divergence the merge adds; never negative.
     */
    public static double cost(double wi, double logDeti, double wj, double logDetj, Merged merged) {
        int d = merged.mean().length;
        return 0.5 * (merged.weight() * GaussianAlgebra.logDet(merged.covariance(), d) - wi * logDeti
                - wj * logDetj);
    }

    /**
     * Merges the cheapest pair of components of {@code model} until {@code k} remain (or returns
     * a full-covariance copy if it has k or fewer). Ties go to the pair with the smaller indices.
     */
    public static Mixture reduce(Mixture model, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int d = model.d();
        List<double[]> means = new ArrayList<>();
        List<double[]> covs = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Double> logDets = new ArrayList<>();
        double[][] full = GaussianAlgebra.fullCovariances(model);
        for (int c = 0; c < model.k(); c++) {
            means.add(model.mean(c));
            covs.add(full[c]);
            weights.add(model.weight(c));
            logDets.add(GaussianAlgebra.logDet(full[c], d));
        }
        // cost[i][j] for j < i, rebuilt for the merged component only.
        List<List<Double>> costs = new ArrayList<>();
        for (int i = 0; i < means.size(); i++) {
            List<Double> row = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                row.add(pairCost(weights, means, covs, logDets, i, j));
            }
            costs.add(row);
        }
        while (means.size() > k) {
            int bestI = -1;
            int bestJ = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < means.size(); j++) {
                for (int i = j + 1; i < means.size(); i++) {
                    double c = costs.get(i).get(j);
                    if (c < best) {
                        best = c;
                        bestI = i;
                        bestJ = j;
                    }
                }
            }
            Merged m = merge(weights.get(bestI), means.get(bestI), covs.get(bestI), weights.get(bestJ),
                    means.get(bestJ), covs.get(bestJ));
            // Put the merged component at j, remove i (> j), and recompute j's costs.
            means.set(bestJ, m.mean());
            covs.set(bestJ, m.covariance());
            weights.set(bestJ, m.weight());
            logDets.set(bestJ, GaussianAlgebra.logDet(m.covariance(), d));
            means.remove(bestI);
            covs.remove(bestI);
            weights.remove(bestI);
            logDets.remove(bestI);
            costs.remove(bestI);
            for (int i = bestI; i < costs.size(); i++) {
                costs.get(i).remove(bestI);
            }
            for (int i = 0; i < means.size(); i++) {
                if (i > bestJ) {
                    costs.get(i).set(bestJ, pairCost(weights, means, covs, logDets, i, bestJ));
                } else if (i < bestJ) {
                    costs.get(bestJ).set(i, pairCost(weights, means, covs, logDets, bestJ, i));
                }
            }
        }
        int n = means.size();
        double[] w = new double[n];
        double total = 0;
        for (int c = 0; c < n; c++) {
            total += weights.get(c);
        }
        for (int c = 0; c < n; c++) {
            w[c] = weights.get(c) / total;
        }
        return new Mixture(CovarianceType.FULL, w, means.toArray(new double[0][]), covs.toArray(new double[0][]));
    }

    private static double pairCost(List<Double> w, List<double[]> mu, List<double[]> cov, List<Double> logDet,
                                   int i, int j) {
        Merged m = merge(w.get(i), mu.get(i), cov.get(i), w.get(j), mu.get(j), cov.get(j));
        return cost(w.get(i), logDet.get(i), w.get(j), logDet.get(j), m);
    }
}
