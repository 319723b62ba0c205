package io.mixspark.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Cholesky factors of symmetric positive-definite matrices stored row-major in a flat
 * {@code double[d * d]}.
 */
public final class Cholesky {

    private Cholesky() {
    }

    /**
     * The upper-triangular precision factor P with P P^T = covariance^{-1}, that is
     * P = (L^{-1})^T for covariance = L L^T. Scoring a row is then y = (x - mu) P and
     * log N = -1/2 (d log 2 pi + |y|^2) + sum log diag(P), as in scikit-learn.
     *
     * @return P row-major, or {@code null} when the matrix is not positive definite
     */
    public static double[] precisionFactor(double[] covariance, int d) {
        DMatrixRMaj lower = lowerFactorMatrix(covariance, d);
        if (lower == null) {
            return null;
        }
        double[] inverse = new double[d * d];
        TriangularSolver_DDRM.invertLower(lower.data, inverse, d);
        double[] p = new double[d * d];
        for (int row = 0; row < d; row++) {
            for (int col = 0; col <= row; col++) {
                p[col * d + row] = inverse[row * d + col];
            }
        }
        return p;
    }

    /** Sum of the logs of the diagonal of a row-major d x d matrix. */
    public static double logDiagonalSum(double[] m, int d) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
            sum += Math.log(m[i * d + i]);
        }
        return sum;
    }

    /**
     * The lower-triangular L with L L^T = covariance, row-major, or {@code null} when the matrix
     * is not positive definite.
     */
    public static double[] lowerFactor(double[] covariance, int d) {
        DMatrixRMaj lower = lowerFactorMatrix(covariance, d);
        return lower == null ? null : lower.data;
    }

    private static DMatrixRMaj lowerFactorMatrix(double[] covariance, int d) {
        for (double v : covariance) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        DMatrixRMaj m = DMatrixRMaj.wrap(d, d, covariance.clone());
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(m)) {
            return null;
        }
        DMatrixRMaj lower = chol.getT(null);
        for (int i = 0; i < d; i++) {
            if (!(lower.get(i, i) > 0)) {
                return null;
            }
        }
        return lower;
    }
}
