package io.mixspark.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** The orthogonal factor of the polar decomposition of a square row-major matrix. */
public final class PolarFactor {

    private PolarFactor() {
    }

    /**
     * The orthogonal Q nearest to m: m = P B R^T (its SVD) gives Q = P R^T, which maximises
     * tr(Q^T m) over orthogonal matrices.
     *
     * @throws ArithmeticException if m holds a non-finite value or the SVD fails
     */
    public static double[] of(double[] m, int d) {
        for (double v : m) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("cannot decompose a matrix with the value " + v);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, false);
        if (!svd.decompose(DMatrixRMaj.wrap(d, d, m.clone()))) {
            throw new ArithmeticException("the singular value decomposition did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        double[] q = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int r = 0; r < d; r++) {
                    s += u.get(i, r) * v.get(j, r);
                }
                q[i * d + j] = s;
            }
        }
        return q;
    }
}
