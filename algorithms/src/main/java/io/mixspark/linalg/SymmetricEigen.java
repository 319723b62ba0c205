package io.mixspark.linalg;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The eigen-decomposition of a symmetric matrix, M = V diag(values) V^T, with the eigenvalues in
 * decreasing order. Matrices are row-major flat {@code double[d * d]}.
 *
 * @param values  eigenvalues, largest first
 * @param vectors row-major d x d whose column j is the unit eigenvector of {@code values[j]}
 */
public record SymmetricEigen(double[] values, double[] vectors) {

    /**
     * Decomposes a symmetric matrix (only its values are read, not checked for symmetry).
     *
     * @throws ArithmeticException if the matrix holds a non-finite value or the solver fails
     */
    public static SymmetricEigen of(double[] symmetric, int d) {
        for (double v : symmetric) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("cannot decompose a matrix with the value " + v);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(d, d, symmetric.clone()))) {
            throw new ArithmeticException("the symmetric eigen-decomposition did not converge");
        }
        Integer[] order = new Integer[d];
        double[] raw = new double[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
            raw[j] = eig.getEigenvalue(j).getReal();
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> raw[j]).reversed());
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int j = 0; j < d; j++) {
            values[j] = raw[order[j]];
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            for (int i = 0; i < d; i++) {
                vectors[i * d + j] = v.get(i, 0);
            }
        }
        return new SymmetricEigen(values, vectors);
    }
}
