package io.mixspark.report;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A projection of R^d onto its first two principal axes: x -> V^T (x - centre), where V holds
 * the eigenvectors of a covariance matrix with the two largest eigenvalues. Covariances project
 * to V^T S V, so a component's ellipse in the plane is its exact 2-D marginal.
 *
 * @param centre    the centre subtracted before projecting, length d
 * @param axes      two unit axes, row-major 2 x d (the second is all zeros when d = 1)
 * @param variances the variance along each axis (the two eigenvalues)
 */
public record Projection(double[] centre, double[] axes, double[] variances) {

    /** Mahalanobis radius of the 95% region of a 2-D Gaussian: sqrt(chi2_2 quantile) = sqrt(-2 ln 0.05). */
    public static final double RADIUS_95 = Math.sqrt(-2 * Math.log(0.05));

    public Projection {
        if (centre.length < 1 || axes.length != 2 * centre.length || variances.length != 2) {
            throw new IllegalArgumentException("a projection needs a centre of length d >= 1 and 2 x d axes, got d = "
                    + centre.length + " and " + axes.length + " axis values");
        }
    }

    public int d() {
        return centre.length;
    }

    /** Principal axes of row-major points (rows x d) around their mean. */
    public static Projection ofPoints(double[] points, int d) {
        int rows = points.length / d;
        if (rows < 1) {
            throw new IllegalArgumentException("no points to project");
        }
        double[] mean = new double[d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += points[i * d + j] / rows;
            }
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < d; a++) {
                double da = points[i * d + a] - mean[a];
                for (int b = 0; b <= a; b++) {
                    cov[a * d + b] += da * (points[i * d + b] - mean[b]) / rows;
                }
            }
        }
        symmetrise(cov, d);
        return ofCovariance(mean, cov);
    }

    /**
     * Principal axes of a mixture's own distribution: its overall mean and covariance
     * sum_k w_k (S_k + (mu_k - mu)(mu_k - mu)^T), the spread of the means plus the components'.
     */
    public static Projection ofMixture(double[] weights, double[][] means, double[][] covariances) {
        int d = means[0].length;
        double[] mean = new double[d];
        for (int c = 0; c < weights.length; c++) {
            for (int j = 0; j < d; j++) {
                mean[j] += weights[c] * means[c][j];
            }
        }
        double[] cov = new double[d * d];
        for (int c = 0; c < weights.length; c++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += weights[c] * (covariances[c][a * d + b]
                            + (means[c][a] - mean[a]) * (means[c][b] - mean[b]));
                }
            }
        }
        symmetrise(cov, d);
        return ofCovariance(mean, cov);
    }

    /** The two leading eigenvectors of a symmetric d x d covariance (row-major). */
    public static Projection ofCovariance(double[] centre, double[] covariance) {
        int d = centre.length;
        if (covariance.length != d * d) {
            throw new IllegalArgumentException("covariance must be " + d + " x " + d + ", got " + covariance.length
                    + " values");
        }
        double[] axes = new double[2 * d];
        double[] variances = new double[2];
        if (d == 1) {
            axes[0] = 1;
            variances[0] = covariance[0];
            return new Projection(centre.clone(), axes, variances);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, covariance))) {
            throw new IllegalArgumentException("the covariance has no eigen-decomposition (non-finite values?)");
        }
        int first = -1;
        int second = -1;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            double v = eig.getEigenvalue(i).real;
            if (first < 0 || v > eig.getEigenvalue(first).real) {
                second = first;
                first = i;
            } else if (second < 0 || v > eig.getEigenvalue(second).real) {
                second = i;
            }
        }
        int[] order = {first, second};
        for (int axis = 0; axis < 2; axis++) {
            DMatrixRMaj vector = eig.getEigenVector(order[axis]);
            variances[axis] = eig.getEigenvalue(order[axis]).real;
            double norm = 0;
            int largest = 0;
            for (int j = 0; j < d; j++) {
                norm += vector.get(j) * vector.get(j);
                if (Math.abs(vector.get(j)) > Math.abs(vector.get(largest))) {
                    largest = j;
                }
            }
            // A deterministic sign: the largest loading is positive.
            double scale = (vector.get(largest) < 0 ? -1 : 1) / Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                axes[axis * d + j] = vector.get(j) * scale;
            }
        }
        return new Projection(centre.clone(), axes, variances);
    }

    /** The 2-D image of a point. */
    public double[] project(double[] x) {
        int d = d();
        double[] out = new double[2];
        for (int axis = 0; axis < 2; axis++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += axes[axis * d + j] * (x[j] - centre[j]);
            }
            out[axis] = s;
        }
        return out;
    }

    /** V^T S V for a row-major d x d covariance S: {s11, s12, s22}. */
    public double[] projectCovariance(double[] covariance) {
        int d = d();
        double[] out = new double[3];
        int[][] pairs = {{0, 0}, {0, 1}, {1, 1}};
        for (int p = 0; p < 3; p++) {
            int u = pairs[p][0];
            int v = pairs[p][1];
            double s = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    s += axes[u * d + a] * covariance[a * d + b] * axes[v * d + b];
                }
            }
            out[p] = s;
        }
        return out;
    }

    /**
     * Points on the ellipse {y : (y - m)^T S^-1 (y - m) = radius^2} of a 2-D Gaussian with mean m and
     * covariance {s11, s12, s22}, closed (the last point equals the first); x values then y values.
     */
    public static double[][] ellipse(double[] mean, double[] cov2, double radius, int points) {
        double l11 = Math.sqrt(Math.max(cov2[0], 0));
        double l21 = l11 > 0 ? cov2[1] / l11 : 0;
        double l22 = Math.sqrt(Math.max(cov2[2] - l21 * l21, 0));
        double[][] out = new double[2][points + 1];
        for (int i = 0; i <= points; i++) {
            double t = 2 * Math.PI * i / points;
            double u = radius * Math.cos(t);
            double v = radius * Math.sin(t);
            out[0][i] = mean[0] + l11 * u;
            out[1][i] = mean[1] + l21 * u + l22 * v;
        }
        return out;
    }

    private static void symmetrise(double[] m, int d) {
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                m[b * d + a] = m[a * d + b];
            }
        }
    }
}
