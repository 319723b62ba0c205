package io.mixspark.gmm;

/**
 * The conjugate prior of Fraley and Raftery (2007) with mclust's default hyperparameters
 * ({@code defaultPrior}): each mean is normal about the data's mean with shrinkage kappa, each
 * covariance inverse-Wishart (or, for the diagonal and spherical models, inverse-gamma per
 * variance) with nu = d + 2 degrees of freedom and a scale of the data's variance shrunk by
 * G^(2/d). The M-step then gives the posterior mode; the mixing weights keep their maximum
 * likelihood estimate, as in mclust.
 *
 * @param shrinkage kappa, 0.01 by default
 * @param mean      the prior mean (the data's column means)
 * @param dof       nu, d + 2
 * @param scale     the inverse-Wishart scale, row-major d x d, for full and tied covariances
 * @param variance  the inverse-gamma scale, for diagonal and spherical covariances
 */
public record ConjugatePrior(double shrinkage, double[] mean, double dof, double[] scale, double variance) {

    /** mclust's {@code defaultPrior} shrinkage. */
    public static final double DEFAULT_SHRINKAGE = 0.01;

    public ConjugatePrior {
        mean = mean.clone();
        scale = scale.clone();
    }

    /**
     * mclust's default prior for G components fitted to data with these column means and this
     * covariance (divisor n - 1).
     *
     * @param covariance row-major d x d sample covariance of the data
     * @param rows       rows of the data: with rows &lt;= d only the covariance's diagonal is used
     */
    public static ConjugatePrior mclustDefault(double[] means, double[] covariance, double rows, int g) {
        int d = means.length;
        double factor = Math.pow(1.0 / g, 2.0 / d);
        double[] scale = new double[d * d];
        double trace = 0;
        for (int a = 0; a < d; a++) {
            trace += covariance[a * d + a];
            for (int b = 0; b < d; b++) {
                if (a == b || rows > d) {
                    scale[a * d + b] = factor * covariance[a * d + b];
                }
            }
        }
        return new ConjugatePrior(DEFAULT_SHRINKAGE, means, d + 2, scale, factor * trace / d);
    }

    public int d() {
        return mean.length;
    }
}
