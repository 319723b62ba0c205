package io.mixspark.gmm;

import io.mixspark.linalg.PolarFactor;
import io.mixspark.linalg.SymmetricEigen;
import java.util.function.Consumer;

/**
 * The M-step of the models with one orientation D shared by all components and a shape A_k per
 * component: EVE (one volume) and VVE (a volume per component). D has no closed form; it comes
 * from the majorisation-minimisation steps of Browne and McNicholas (2014), MM1 then MM2 per
 * iteration, each an orthogonal polar factor, with the shapes updated after them, until the
 * objective sum_k tr(D^T W_k D A_k^-1) changes by less than
 * {@link ConstrainedCovariances#INNER_TOLERANCE} relative.
 *
 * <p>This follows R's mclust (6.x) step for step, so that fits agree with it: the first M-step
 * starts from D = I and A_k = I, later ones from the previous mixture's orientation and shapes
 * (mclust keeps them across EM iterations). For VVE, as in mclust, the orientation steps weight
 * the components by A_k^-1 alone, not by (lambda_k A_k)^-1.
 */
final class CommonOrientation {

    private CommonOrientation() {
    }

    /**
     * @param previous the previous full covariances of these components, or null
     * @return full d x d covariances
     */
    static double[][] estimate(CovarianceType type, double[] counts, double[][] scatters, int d, double[][] previous,
                               Consumer<String> log) {
        int k = counts.length;
        double total = 0;
        double[] largest = new double[k];
        for (int c = 0; c < k; c++) {
            total += counts[c];
            double[] values = SymmetricEigen.of(scatters[c], d).values();
            if (!(values[d - 1] > 0)) {
                throw ConstrainedCovariances.singular(type, c);
            }
            largest[c] = values[0];
        }
        double[] orientation = Dense.identity(d);
        double[][] shape = new double[k][];
        for (int c = 0; c < k; c++) {
            shape[c] = ones(d);
        }
        if (previous != null) {
            orientation = SymmetricEigen.of(previous[0], d).vectors();
            for (int c = 0; c < k; c++) {
                double[] a = Dense.rotatedDiagonal(previous[c], orientation, d);
                shape[c] = Dense.scaled(a, 1.0 / ConstrainedCovariances.requirePositive(Dense.geometricMean(a), type,
                        c));
            }
        }
        double[] scale = new double[k];
        double target;
        ConstrainedCovariances.InnerLoop loop = new ConstrainedCovariances.InnerLoop(type, log);
        do {
            orientation = Dense.transpose(PolarFactor.of(firstMajoriser(orientation, shape, scatters, largest, d), d),
                    d);
            orientation = PolarFactor.of(secondMajoriser(orientation, shape, scatters, d), d);
            target = 0;
            for (int c = 0; c < k; c++) {
                double[] a = Dense.rotatedDiagonal(scatters[c], orientation, d);
                if (type == CovarianceType.VVE) {
                    a = Dense.scaled(a, 1.0 / counts[c]);
                    scale[c] = ConstrainedCovariances.requirePositive(Dense.geometricMean(a), type, c);
                    a = Dense.scaled(a, 1.0 / scale[c]);
                } else {
                    a = Dense.scaled(a, 1.0 / ConstrainedCovariances.requirePositive(Dense.geometricMean(a), type, c));
                }
                shape[c] = a;
                double[] rotated = Dense.rotatedDiagonal(scatters[c], orientation, d);
                for (int j = 0; j < d; j++) {
                    target += rotated[j] / a[j];
                }
            }
        } while (!loop.settled(target));
        if (type == CovarianceType.EVE) {
            java.util.Arrays.fill(scale, target / (total * d));
        }
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            out[c] = Dense.compose(orientation, Dense.scaled(shape[c], scale[c]), d);
        }
        return out;
    }

    /** MM1: F = sum_k A_k^-1 D^T (W_k - omega_k I), omega_k the largest eigenvalue of W_k; D^T = polar(F). */
    private static double[] firstMajoriser(double[] orientation, double[][] shape, double[][] scatters,
                                           double[] largest, int d) {
        double[] f = new double[d * d];
        double[] dt = Dense.transpose(orientation, d);
        for (int c = 0; c < scatters.length; c++) {
            double[] left = new double[d * d];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    left[j * d + i] = dt[j * d + i] / shape[c][j];
                }
            }
            double[] lw = Dense.times(left, scatters[c], d);
            for (int i = 0; i < d * d; i++) {
                f[i] += lw[i] - largest[c] * left[i];
            }
        }
        return f;
    }

    /** MM2: F = sum_k (W_k D A_k^-1 - max_j(1 / a_kj) W_k D); D = polar(F). */
    private static double[] secondMajoriser(double[] orientation, double[][] shape, double[][] scatters, int d) {
        double[] f = new double[d * d];
        for (int c = 0; c < scatters.length; c++) {
            double[] wd = Dense.times(scatters[c], orientation, d);
            double maxInverse = 0;
            for (double a : shape[c]) {
                maxInverse = Math.max(maxInverse, 1.0 / a);
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    f[i * d + j] += wd[i * d + j] / shape[c][j] - maxInverse * wd[i * d + j];
                }
            }
        }
        return f;
    }

    private static double[] ones(int d) {
        double[] out = new double[d];
        java.util.Arrays.fill(out, 1.0);
        return out;
    }
}
