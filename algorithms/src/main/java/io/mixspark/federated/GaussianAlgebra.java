package io.mixspark.federated;

import io.mixspark.gmm.Mixture;
import io.mixspark.linalg.Cholesky;

/**
 * Closed forms on full-covariance Gaussians (row-major d x d covariances) shared by the
 * reduction and its initialisation: log-determinants and inverses through Cholesky factors
 * (never an explicit determinant), the Kullback-Leibler divergence, and moment matching.
 */
final class GaussianAlgebra {

    private GaussianAlgebra() {
    }

    /** log |S| = 2 sum log diag(L) for S = L L^T. */
    static double logDet(double[] cov, int d) {
        double[] lower = Cholesky.lowerFactor(cov, d);
        if (lower == null) {
            throw new IllegalArgumentException("covariance is not positive definite");
        }
        return 2 * Cholesky.logDiagonalSum(lower, d);
    }

    /** S^{-1} = P P^T from the precision factor P, exactly symmetric. */
    static double[] inverse(double[] cov, int d) {
        double[] p = Cholesky.precisionFactor(cov, d);
        if (p == null) {
            throw new IllegalArgumentException("covariance is not positive definite");
        }
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int l = 0; l < d; l++) {
                    s += p[i * d + l] * p[j * d + l];
                }
                out[i * d + j] = s;
                out[j * d + i] = s;
            }
        }
        return out;
    }

    /**
     * KL(N(mu0, S0) || N(mu1, S1)) = 1/2 [tr(S1^{-1} S0) + (mu1 - mu0)^T S1^{-1} (mu1 - mu0) - d
     * + log|S1| - log|S0|], with S1's inverse and both log-determinants precomputed.
     */
    static double kl(double[] mu0, double[] cov0, double logDet0, double[] mu1, double[] inv1, double logDet1,
                     int d) {
        double trace = 0;
        for (int i = 0; i < d * d; i++) {
            trace += inv1[i] * cov0[i];
        }
        double quad = 0;
        for (int a = 0; a < d; a++) {
            double da = mu1[a] - mu0[a];
            double row = 0;
            for (int b = 0; b < d; b++) {
                row += inv1[a * d + b] * (mu1[b] - mu0[b]);
            }
            quad += da * row;
        }
        return 0.5 * (trace + quad - d + logDet1 - logDet0);
    }

    /**
     * The Gaussian with the first two moments of a mixture of Gaussians (weights need not sum to
     * 1): mu = sum l_i mu_i and S = sum l_i [S_i + (mu_i - mu)(mu_i - mu)^T], l the normalised
     * weights. It minimises sum_i l_i KL(phi_i || N(mu, S)) over all Gaussians.
     *
     * @param members indices of the components to match
     * @return {mean, covariance}
     */
    static double[][] momentMatch(double[] weights, double[][] means, double[][] covs, int[] members, int d) {
        double total = 0;
        for (int i : members) {
            total += weights[i];
        }
        double[] mean = new double[d];
        for (int i : members) {
            double l = weights[i] / total;
            for (int a = 0; a < d; a++) {
                mean[a] += l * means[i][a];
            }
        }
        double[] cov = new double[d * d];
        for (int i : members) {
            double l = weights[i] / total;
            for (int a = 0; a < d; a++) {
                double da = means[i][a] - mean[a];
                for (int b = 0; b <= a; b++) {
                    cov[a * d + b] += l * (covs[i][a * d + b] + da * (means[i][b] - mean[b]));
                }
            }
        }
        symmetriseFromLower(cov, d);
        return new double[][] {mean, cov};
    }

    /** Copies the lower triangle onto the upper one. */
    static void symmetriseFromLower(double[] m, int d) {
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                m[b * d + a] = m[a * d + b];
            }
        }
    }

    /** Every component's covariance of a mixture as a flat full matrix, whatever its type. */
    static double[][] fullCovariances(Mixture model) {
        int d = model.d();
        double[][] out = new double[model.k()][d * d];
        for (int c = 0; c < model.k(); c++) {
            double[][] m = model.covarianceMatrix(c);
            for (int a = 0; a < d; a++) {
                System.arraycopy(m[a], 0, out[c], a * d, d);
            }
        }
        return out;
    }

    /** The diagonal of a flat d x d matrix. */
    static double[] diagonal(double[] m, int d) {
        double[] out = new double[d];
        for (int a = 0; a < d; a++) {
            out[a] = m[a * d + a];
        }
        return out;
    }

    /** A flat d x d matrix with only the given diagonal. */
    static double[] diagonalMatrix(double[] diag) {
        int d = diag.length;
        double[] out = new double[d * d];
        for (int a = 0; a < d; a++) {
            out[a * d + a] = diag[a];
        }
        return out;
    }
}
