package io.mixspark.federated;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One-shot federated aggregation (Zhang &amp; Chen, "Distributed Learning of Finite Gaussian
 * Mixtures", JMLR 2022): pool every site's local components with weights (n_m / N) w_mk, then
 * reduce the pooled mixture to k components by minimising the composite transportation
 * divergence T(phi~) = sum_i w_i min_k KL(phi_i || phi~_k) with their MM algorithm:
 * <ol>
 *   <li><em>assignment:</em> each pooled component goes to the reduced component with the
 *       smallest KL(phi_i || phi~_k) (closed form, log-determinants by Cholesky);</li>
 *   <li><em>update:</em> each reduced component is the moment match of what it received,
 *       mu~ = sum l_i mu_i and S~ = sum l_i [S_i + (mu_i - mu~)(mu_i - mu~)^T], its weight the sum
 *       of the received weights; a component that receives nothing is dropped.</li>
 * </ol>
 * Both steps minimise T exactly for the other's value, so T never increases; an increase beyond
 * rounding is a bug and throws (as in the authors' code). The MM starts from Runnalls' greedy
 * merge of the pooled mixture ({@link RunnallsMerging}), not from one site's model.
 *
 * <p>For a diagonal result the update keeps the diagonal of the moment match, which is the
 * minimiser of the same objective over diagonal Gaussians, so the MM stays monotone.
 */
public final class MixtureReduction {

    /** Relative slack allowed for rounding when checking that the objective does not increase. */
    static final double MONOTONE_SLACK = 1e-10;

    private MixtureReduction() {
    }

    /**
     * Settings of the reduction.
     *
     * @param k              number of components of the result (at most), >= 1
     * @param covarianceType {@code FULL} or {@code DIAG}
     * @param maxIter        MM iterations at most, >= 1
     * @param tol            also stop when the objective falls by less than tol times its value, >= 0
     */
    public record Options(int k, CovarianceType covarianceType, int maxIter, double tol) implements Serializable {

        public static final int DEFAULT_MAX_ITER = 500;
        public static final double DEFAULT_TOL = 1e-12;

        public Options {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            if (covarianceType != CovarianceType.FULL && covarianceType != CovarianceType.DIAG) {
                throw new IllegalArgumentException("the reduction produces full (VVV) or diag (VVI) covariances, got "
                        + (covarianceType == null ? "none" : covarianceType.label()));
            }
            if (maxIter < 1) {
                throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
            }
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new IllegalArgumentException("tol must be a finite number >= 0, got " + tol);
            }
        }

        /** k full-covariance components with the default iteration limit and tolerance. */
        public static Options of(int k) {
            return new Options(k, CovarianceType.FULL, DEFAULT_MAX_ITER, DEFAULT_TOL);
        }

        public Options withCovarianceType(CovarianceType type) {
            return new Options(k, type, maxIter, tol);
        }
    }

    /**
     * The reduced mixture and how the MM got there.
     *
     * @param model          the reduced mixture (k components, fewer if groups emptied)
     * @param initial        the mixture the MM started from
     * @param objectiveTrace T at the start and after every MM iteration, never increasing
     * @param assignment     the reduced component each pooled component went to last
     * @param iterations     MM iterations run
     * @param converged      whether the assignment stopped changing (or T stopped falling)
     */
    public record Result(Mixture model, Mixture initial, List<Double> objectiveTrace, int[] assignment,
                         int iterations, boolean converged) {

        public Result {
            objectiveTrace = List.copyOf(objectiveTrace);
            assignment = assignment.clone();
        }

        /** The final value of the composite transportation divergence. */
        public double objective() {
            return objectiveTrace.get(objectiveTrace.size() - 1);
        }

        @Override
        public int[] assignment() {
            return assignment.clone();
        }
    }

    /** Pools the local fits: every local component with weight (n_m / N) w_mk, as full covariances. */
    public static Mixture pool(List<LocalFit> fits) {
        List<Mixture> models = new ArrayList<>();
        double[] n = new double[fits.size()];
        for (int m = 0; m < fits.size(); m++) {
            models.add(fits.get(m).result().model());
            n[m] = fits.get(m).weight();
        }
        return pool(models, n);
    }

    /**
     * Pools mixtures of the same dimension with weights (n_m / N) w_mk.
     *
     * @param siteWeights n_m of each model (row counts or total row weights), positive
     */
    public static Mixture pool(List<Mixture> models, double[] siteWeights) {
        if (models.isEmpty() || models.size() != siteWeights.length) {
            throw new IllegalArgumentException("need one site weight per model and at least one model, got "
                    + models.size() + " models and " + siteWeights.length + " weights");
        }
        int d = models.get(0).d();
        double total = 0;
        for (int m = 0; m < models.size(); m++) {
            if (!(siteWeights[m] > 0) || Double.isInfinite(siteWeights[m])) {
                throw new IllegalArgumentException("site weight " + m + " must be positive and finite, got "
                        + siteWeights[m]);
            }
            if (models.get(m).d() != d) {
                throw new IllegalArgumentException("model " + m + " has d=" + models.get(m).d() + ", model 0 has d="
                        + d);
            }
            total += siteWeights[m];
        }
        List<Double> w = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        List<double[]> covs = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            Mixture model = models.get(m);
            double[][] full = GaussianAlgebra.fullCovariances(model);
            for (int c = 0; c < model.k(); c++) {
                w.add(siteWeights[m] / total * model.weight(c));
                means.add(model.mean(c));
                covs.add(full[c]);
            }
        }
        return new Mixture(CovarianceType.FULL, w.stream().mapToDouble(Double::doubleValue).toArray(),
                means.toArray(new double[0][]), covs.toArray(new double[0][]));
    }

    /** Pools the local fits and reduces them, starting from Runnalls' greedy merge. */
    public static Result reduce(List<LocalFit> fits, Options options) {
        return reduce(pool(fits), options);
    }

    /** Reduces a pooled mixture, starting from Runnalls' greedy merge down to k components. */
    public static Result reduce(Mixture pooled, Options options) {
        return reduce(pooled, RunnallsMerging.reduce(pooled, options.k()), options);
    }

    /**
     * Reduces a pooled mixture by MM from a given start (its weights are ignored: the first
     * assignment step decides them). A start with fewer than k components gives at most that many.
     */
    public static Result reduce(Mixture pooled, Mixture start, Options options) {
        int d = pooled.d();
        if (start.d() != d) {
            throw new IllegalArgumentException("the start has d=" + start.d() + ", the pooled mixture has d=" + d);
        }
        if (start.k() > options.k()) {
            throw new IllegalArgumentException("the start has " + start.k() + " components, more than k = "
                    + options.k());
        }
        boolean diag = options.covarianceType() == CovarianceType.DIAG;
        Pool p = new Pool(pooled);
        double[][] means = start.means();
        double[][] covs = GaussianAlgebra.fullCovariances(start);
        if (diag) {
            for (int c = 0; c < covs.length; c++) {
                covs[c] = GaussianAlgebra.diagonalMatrix(GaussianAlgebra.diagonal(covs[c], d));
            }
        }
        Reduced current = new Reduced(means, covs, d);
        int[] assignment = p.assign(current);
        List<Double> trace = new ArrayList<>();
        trace.add(p.objective(current, assignment));
        Mixture initial = current.toMixture(p.groupWeights(assignment, current.k()), diag);
        boolean converged = false;
        int iterations = 0;
        while (iterations < options.maxIter()) {
            iterations++;
            Reduced next = p.update(assignment, current.k(), diag);
            int[] nextAssignment = p.assign(next);
            double previous = trace.get(trace.size() - 1);
            double value = p.objective(next, nextAssignment);
            requireNonIncreasing(previous, value, iterations);
            trace.add(value);
            boolean same = sameGrouping(assignment, current.k(), nextAssignment, next.k());
            current = next;
            assignment = nextAssignment;
            if (same || previous - value <= options.tol() * Math.abs(previous)) {
                converged = true;
                break;
            }
        }
        Mixture model = current.toMixture(p.groupWeights(assignment, current.k()), diag);
        return new Result(model, initial, trace, assignment, iterations, converged);
    }

    /** T(reduced) = sum_i w_i min_k KL(phi_i || phi~_k) of a pooled mixture against a reduced one. */
    public static double objective(Mixture pooled, Mixture reduced) {
        Pool p = new Pool(pooled);
        Reduced r = new Reduced(reduced.means(), GaussianAlgebra.fullCovariances(reduced), reduced.d());
        return p.objective(r, p.assign(r));
    }

    /** @throws IllegalStateException if the objective rose by more than rounding */
    static void requireNonIncreasing(double previous, double value, int iteration) {
        if (value > previous + MONOTONE_SLACK * Math.max(1, Math.abs(previous)) || Double.isNaN(value)) {
            throw new IllegalStateException("the transportation divergence increased at MM iteration " + iteration
                    + " from " + previous + " to " + value + "; the MM algorithm must never increase it");
        }
    }

    /** Whether two assignments put the pooled components into the same groups. */
    private static boolean sameGrouping(int[] a, int ka, int[] b, int kb) {
        // Groups are compared through the first pooled component of each group, which fixes labels.
        int[] mapAB = new int[ka];
        Arrays.fill(mapAB, -1);
        for (int i = 0; i < a.length; i++) {
            if (mapAB[a[i]] == -1) {
                mapAB[a[i]] = b[i];
            } else if (mapAB[a[i]] != b[i]) {
                return false;
            }
        }
        int[] mapBA = new int[kb];
        Arrays.fill(mapBA, -1);
        for (int i = 0; i < b.length; i++) {
            if (mapBA[b[i]] == -1) {
                mapBA[b[i]] = a[i];
            } else if (mapBA[b[i]] != a[i]) {
                return false;
            }
        }
        return true;
    }

    /** The pooled components with their log-determinants. */
    private static final class Pool {
        final int m;
        final int d;
        final double[] w;
        final double[][] mu;
        final double[][] cov;
        final double[] logDet;

        Pool(Mixture pooled) {
            m = pooled.k();
            d = pooled.d();
            w = pooled.weights();
            mu = pooled.means();
            cov = GaussianAlgebra.fullCovariances(pooled);
            logDet = new double[m];
            for (int i = 0; i < m; i++) {
                logDet[i] = GaussianAlgebra.logDet(cov[i], d);
            }
        }

        int[] assign(Reduced r) {
            int[] out = new int[m];
            for (int i = 0; i < m; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < r.k(); k++) {
                    double c = cost(r, i, k);
                    if (c < best) {
                        best = c;
                        out[i] = k;
                    }
                }
            }
            return out;
        }

        double cost(Reduced r, int i, int k) {
            return GaussianAlgebra.kl(mu[i], cov[i], logDet[i], r.means[k], r.inverses[k], r.logDets[k], d);
        }

        double objective(Reduced r, int[] assignment) {
            double sum = 0;
            for (int i = 0; i < m; i++) {
                sum += w[i] * cost(r, i, assignment[i]);
            }
            return sum;
        }

        double[] groupWeights(int[] assignment, int k) {
            double[] out = new double[k];
            for (int i = 0; i < m; i++) {
                out[assignment[i]] += w[i];
            }
            return out;
        }

        /** Moment-matches every non-empty group; empty groups are dropped. */
        Reduced update(int[] assignment, int k, boolean diag) {
            List<double[]> means = new ArrayList<>();
            List<double[]> covs = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                int size = 0;
                for (int i = 0; i < m; i++) {
                    if (assignment[i] == g) {
                        size++;
                    }
                }
                if (size == 0) {
                    continue;
                }
                int[] members = new int[size];
                int j = 0;
                for (int i = 0; i < m; i++) {
                    if (assignment[i] == g) {
                        members[j++] = i;
                    }
                }
                double[][] matched = GaussianAlgebra.momentMatch(w, mu, cov, members, d);
                means.add(matched[0]);
                covs.add(diag ? GaussianAlgebra.diagonalMatrix(GaussianAlgebra.diagonal(matched[1], d)) : matched[1]);
            }
            return new Reduced(means.toArray(new double[0][]), covs.toArray(new double[0][]), d);
        }
    }

    /** The reduced components with the inverses and log-determinants the KL cost needs. */
    private static final class Reduced {
        final double[][] means;
        final double[][] covs;
        final double[][] inverses;
        final double[] logDets;
        final int d;

        Reduced(double[][] means, double[][] covs, int d) {
            this.means = means;
            this.covs = covs;
            this.d = d;
            inverses = new double[means.length][];
            logDets = new double[means.length];
            for (int k = 0; k < means.length; k++) {
                inverses[k] = GaussianAlgebra.inverse(covs[k], d);
                logDets[k] = GaussianAlgebra.logDet(covs[k], d);
            }
        }

        int k() {
            return means.length;
        }

        /** The mixture with these components and the given group weights; empty groups are left out. */
        Mixture toMixture(double[] groupWeights, boolean diag) {
            List<Integer> kept = new ArrayList<>();
            double total = 0;
            for (int c = 0; c < k(); c++) {
                if (groupWeights[c] > 0) {
                    kept.add(c);
                    total += groupWeights[c];
                }
            }
            double[] w = new double[kept.size()];
            double[][] mu = new double[kept.size()][];
            double[][] packed = new double[kept.size()][];
            for (int j = 0; j < kept.size(); j++) {
                int c = kept.get(j);
                w[j] = groupWeights[c] / total;
                mu[j] = means[c].clone();
                packed[j] = diag ? GaussianAlgebra.diagonal(covs[c], d) : covs[c].clone();
            }
            return new Mixture(diag ? CovarianceType.DIAG : CovarianceType.FULL, w, mu, packed);
        }
    }
}
