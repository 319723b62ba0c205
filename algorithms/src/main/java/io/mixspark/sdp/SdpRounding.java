package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.init.KMeansPlusPlus;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Rounding of an SDP solution to K clusters as in the authors' code (Zhuang, Chen and Yang,
 * AISTATS 2022; Zhuang, Chen, Yang and Zhang, ICLR 2024): the top-K eigenvectors of Z (its left
 * singular vectors, Z being PSD), then k-means++ with Lloyd iterations on the n rows of that
 * n x K matrix. When Z is the exact membership matrix, the rows take exactly K distinct values.
 */
public final class SdpRounding {

    private SdpRounding() {
    }

    /**
     * Labels for a symmetric n x n matrix z (row-major).
     *
     * @throws IllegalArgumentException if the shapes disagree or k is not in 1..n
     */
    public static int[] round(double[] z, int n, int k, Random random) {
        if (z == null || z.length != (long) n * n) {
            throw new IllegalArgumentException("expected an " + n + " x " + n + " matrix, got "
                    + (z == null ? "none" : z.length + " values"));
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + ", got " + k);
        }
        if (k == 1) {
            return new int[n];
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.data[i * n + j] = 0.5 * (z[i * n + j] + z[j * n + i]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("symmetric eigendecomposition failed");
        }
        Integer[] order = new Integer[n];
        for (int e = 0; e < n; e++) {
            order[e] = e;
        }
        Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        return embeddingLabels(n, k, random, column -> eig.getEigenVector(order[column]).data);
    }

    /**
     * Labels for Z = U U^T given only its n x r factor U (row-major): the top-K left singular vectors
     * of U are U v_c / sqrt(lambda_c) for the top eigenpairs of the r x r matrix U^T U, so nothing
     * of size n x n is formed.
     *
     * @throws IllegalArgumentException if the shapes disagree or k is not in 1..min(n, r)
     */
    public static int[] roundFactor(double[] u, int n, int r, int k, Random random) {
        if (u == null || u.length != (long) n * r) {
            throw new IllegalArgumentException("expected an " + n + " x " + r + " factor, got "
                    + (u == null ? "none" : u.length + " values"));
        }
        if (k < 1 || k > Math.min(n, r)) {
            throw new IllegalArgumentException("k must be in 1.." + Math.min(n, r) + ", got " + k);
        }
        if (k == 1) {
            return new int[n];
        }
        DMatrixRMaj um = DMatrixRMaj.wrap(n, r, u);
        DMatrixRMaj gram = new DMatrixRMaj(r, r);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(um, um, gram);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(r, true, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("symmetric eigendecomposition failed");
        }
        Integer[] order = new Integer[r];
        for (int e = 0; e < r; e++) {
            order[e] = e;
        }
        Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        return embeddingLabels(n, k, random, column -> {
            double lambda = eig.getEigenvalue(order[column]).real;
            double[] v = eig.getEigenVector(order[column]).data;
            double[] left = new double[n];
            if (lambda > 0) {
                double inv = 1 / Math.sqrt(lambda);
                for (int i = 0; i < n; i++) {
                    double sum = 0;
                    for (int j = 0; j < r; j++) {
                        sum += u[i * r + j] * v[j];
                    }
                    left[i] = sum * inv;
                }
            }
            return left;
        });
    }

    /**
     * k-means++ (then Lloyd) on the rows of the n x k matrix whose column c is {@code columns.get(c)}.
     */
    static int[] embeddingLabels(int n, int k, Random random, java.util.function.IntFunction<double[]> columns) {
        double[] rows = new double[n * k];
        for (int c = 0; c < k; c++) {
            double[] v = columns.apply(c);
            for (int i = 0; i < n; i++) {
                rows[i * k + c] = v[i];
            }
        }
        DataBlock embedded = DataBlock.of(rows, k);
        double[] centres = KMeansPlusPlus.cluster(embedded, k, random);
        int[] labels = new int[n];
        JavaLikelihoodKernel.INSTANCE.nearestCentres(embedded, centres, k, labels, new double[n]);
        return labels;
    }
}
