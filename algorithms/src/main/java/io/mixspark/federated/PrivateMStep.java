package io.mixspark.federated;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The M-step from noisy raw moments, with the post-processing that makes its output a valid
 * mixture whatever the noise did (post-processing costs no privacy):
 * <ul>
 *   <li>weights: negative counts set to 0, normalised, clipped below at {@code minWeight} and
 *       renormalised (all counts non-positive: the previous weights are kept);</li>
 *   <li>a component keeps its previous mean and covariance when its noisy count is below one
 *       row, or so small that the noise in its mean, sd(S1) / n, exceeds B: the update would be
 *       noise;</li>
 *   <li>means S1 / n projected onto the ball of radius B, where every clipped row lies;</li>
 *   <li>covariances: the second moment about that mean, symmetrised, its eigenvalues clipped to
 *       [max(floor, sd(S2) / n), B^2] (EJML's symmetric eigen-decomposition), plus the ridge
 *       {@code regCovar}: positive definite by construction. No direction of data in the ball has
 *       a variance above B^2, and a variance below the noise in the entries, sd(S2) / n, cannot be
 *       told from zero: without that floor a noisy negative eigenvalue becomes a needle-thin
 *       component that captures no rows in the next round, and the fit collapses.</li>
 * </ul>
 * The noise levels sd(.) are those of the merged moments, known from z, B and the number of
 * noise draws; they are public, so these rules cost no privacy.
 */
public final class PrivateMStep {

    /** A component with a noisy count below this keeps its previous parameters. */
    static final double MIN_COUNT = 1.0;

    private PrivateMStep() {
    }

    /**
     * Standard deviations of the noise in the merged moments, per released value.
     *
     * @param count   noise sd of each count
     * @param sum     noise sd of each first-moment coordinate
     * @param scatter noise sd of each second-moment entry
     */
    public record NoiseLevel(double count, double sum, double scatter) {

        public static final NoiseLevel NONE = new NoiseLevel(0, 0, 0);

        public NoiseLevel {
            if (!(count >= 0 && sum >= 0 && scatter >= 0)) {
                throw new IllegalArgumentException("noise levels must be >= 0, got " + count + ", " + sum + ", "
                        + scatter);
            }
        }

        /** Noise z Delta from each of {@code draws} independent sources (sites, or 1 for the server). */
        public static NoiseLevel of(double noiseMultiplier, double clipNorm, int draws) {
            double root = Math.sqrt(draws);
            return new NoiseLevel(noiseMultiplier * root, noiseMultiplier * clipNorm * root,
                    noiseMultiplier * clipNorm * clipNorm * root);
        }
    }

    /**
     * The next mixture of the previous one's type ({@code FULL} or {@code DIAG}) and component
     * count, from (noisy) raw moments with the given noise levels.
     */
    public static Mixture update(RawMoments moments, NoiseLevel noise, Mixture previous, PrivacyOptions privacy,
                                 double regCovar) {
        CovarianceType type = previous.covarianceType();
        int k = previous.k();
        int d = previous.d();
        if (moments.k() != k || moments.d() != d || moments.fullScatter() != (type == CovarianceType.FULL)) {
            throw new IllegalArgumentException("moments of k=" + moments.k() + ", d=" + moments.d()
                    + " do not fit the previous " + type.id() + " mixture of k=" + k + ", d=" + d);
        }
        double b = privacy.clipNorm();
        double ceiling = b * b;
        double[] weights = weights(moments, previous, privacy.minWeight());
        double[][] means = new double[k][];
        double[][] covs = new double[k][];
        for (int c = 0; c < k; c++) {
            double n = moments.count(c);
            if (!(n >= MIN_COUNT) || noise.sum() / n > b) {
                means[c] = previous.mean(c);
                covs[c] = previous.covariance(c);
                continue;
            }
            double[] m = new double[d];
            double sq = 0;
            for (int a = 0; a < d; a++) {
                m[a] = moments.sum(c, a) / n;
                sq += m[a] * m[a];
            }
            double scale = Math.sqrt(sq) > b ? b / Math.sqrt(sq) : 1.0;
            double[] p = new double[d];
            for (int a = 0; a < d; a++) {
                p[a] = m[a] * scale;
            }
            means[c] = p;
            double floor = Math.min(ceiling, Math.max(privacy.eigenvalueFloor(), noise.scatter() / n));
            if (type == CovarianceType.DIAG) {
                double[] v = new double[d];
                for (int a = 0; a < d; a++) {
                    double second = moments.scatter(c, a, a) / n - 2 * m[a] * p[a] + p[a] * p[a];
                    v[a] = clamp(second, floor, ceiling) + regCovar;
                }
                covs[c] = v;
            } else {
                double[] s = new double[d * d];
                for (int a = 0; a < d; a++) {
                    for (int bb = 0; bb <= a; bb++) {
                        double v = moments.scatter(c, a, bb) / n - m[a] * p[bb] - p[a] * m[bb] + p[a] * p[bb];
                        s[a * d + bb] = v;
                        s[bb * d + a] = v;
                    }
                }
                double[] clipped = clipEigenvalues(s, d, floor, ceiling);
                covs[c] = clipped == null ? previous.covariance(c) : clipped;
                for (int a = 0; clipped != null && a < d; a++) {
                    covs[c][a * d + a] += regCovar;
                }
            }
        }
        return new Mixture(type, weights, means, covs);
    }

    /**
     * Q clamp(Lambda) Q^T for a symmetric matrix, exactly symmetric, or null if the
     * decomposition fails.
     */
    static double[] clipEigenvalues(double[] symmetric, int d, double floor, double ceiling) {
        for (double v : symmetric) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(d, d, symmetric.clone()))) {
            return null;
        }
        double[] out = new double[d * d];
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            double lambda = clamp(eig.getEigenvalue(i).getReal(), floor, ceiling);
            DMatrixRMaj q = eig.getEigenVector(i);
            double norm = 0;
            for (int a = 0; a < d; a++) {
                norm += q.get(a) * q.get(a);
            }
            for (int a = 0; a < d; a++) {
                for (int bb = 0; bb <= a; bb++) {
                    out[a * d + bb] += lambda * q.get(a) * q.get(bb) / norm;
                }
            }
        }
        GaussianAlgebra.symmetriseFromLower(out, d);
        return out;
    }

    private static double[] weights(RawMoments moments, Mixture previous, double minWeight) {
        int k = moments.k();
        double[] w = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = Math.max(0, moments.count(c));
            sum += w[c];
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            return previous.weights();
        }
        double total = 0;
        for (int c = 0; c < k; c++) {
            w[c] = Math.max(w[c] / sum, minWeight);
            total += w[c];
        }
        // A weight of exactly 0 (minWeight 0, empty component) cannot make a mixture.
        double tiny = Double.MIN_NORMAL;
        for (int c = 0; c < k; c++) {
            w[c] = Math.max(w[c] / total, tiny);
        }
        return w;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.min(hi, Math.max(lo, Double.isNaN(v) ? lo : v));
    }
}
