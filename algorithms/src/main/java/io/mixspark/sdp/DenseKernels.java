package io.mixspark.sdp;

/**
 * The few dense kernels of {@link WarmPsdProjection} on row-major n x n arrays and vectors stored
 * one per array, written so that the inner loops run over contiguous memory.
 */
final class DenseKernels {

    /** A column whose norm falls below this fraction of its norm before orthogonalisation is dropped. */
    static final double DEPENDENT = 1e-10;

    private DenseKernels() {
    }

    /** The products A v_c for a row-major symmetric n x n A (rows of A dotted with each v_c). */
    static double[][] multiply(double[] a, int n, double[][] v) {
        int count = v.length;
        double[][] out = new double[count][n];
        int c = 0;
        for (; c + 4 <= count; c += 4) {
            double[] v0 = v[c];
            double[] v1 = v[c + 1];
            double[] v2 = v[c + 2];
            double[] v3 = v[c + 3];
            for (int i = 0; i < n; i++) {
                int row = i * n;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int j = 0; j < n; j++) {
                    double aij = a[row + j];
                    s0 += aij * v0[j];
                    s1 += aij * v1[j];
                    s2 += aij * v2[j];
                    s3 += aij * v3[j];
                }
                out[c][i] = s0;
                out[c + 1][i] = s1;
                out[c + 2][i] = s2;
                out[c + 3][i] = s3;
            }
        }
        for (; c < count; c++) {
            for (int i = 0; i < n; i++) {
                out[c][i] = dot(a, i * n, v[c], n);
            }
        }
        return out;
    }

    /**
     * An orthonormal basis of the span of the given vectors by Gram-Schmidt applied twice
     * (Giraud et al., Numer. Math. 101, 2005), dropping vectors that are numerically dependent on
     * the ones before: the given orthonormal basis followed by the new directions. The inputs are
     * not modified.
     */
    static double[][] orthonormalise(double[][] start, double[][] vectors, int n) {
        double[][] basis = java.util.Arrays.copyOf(start, start.length + vectors.length);
        int size = start.length;
        for (double[] vector : vectors) {
            double[] x = vector.clone();
            double before = Math.sqrt(dot(x, x));
            if (before == 0) {
                continue;
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int b = 0; b < size; b++) {
                    axpy(-dot(basis[b], x), basis[b], x);
                }
            }
            double after = Math.sqrt(dot(x, x));
            if (after <= DEPENDENT * before) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                x[i] /= after;
            }
            basis[size++] = x;
        }
        return java.util.Arrays.copyOf(basis, size);
    }

    /**
     * In-place Cholesky factorisation s = L L^T of the lower triangle of a row-major n x n s (row
     * by row, so both rows of every dot product are contiguous); false, leaving s partly
     * overwritten, as soon as a pivot is not positive, i.e. when s is not positive definite.
     */
    static boolean choleskyLower(double[] s, int n) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j < i; j++) {
                int rj = j * n;
                s[ri + j] = (s[ri + j] - dot(s, ri, s, rj, j)) / s[rj + j];
            }
            double pivot = s[ri + i] - dot(s, ri, s, ri, i);
            if (!(pivot > 0)) {
                return false;
            }
            s[ri + i] = Math.sqrt(pivot);
        }
        return true;
    }

    static double dot(double[] x, double[] y) {
        return dot(x, 0, y, 0, x.length);
    }

    /** x[from..from+length) . y[0..length). */
    private static double dot(double[] x, int from, double[] y, int length) {
        return dot(x, from, y, 0, length);
    }

    /** Four partial sums, so the loop is not one long chain of dependent additions. */
    private static double dot(double[] x, int xFrom, double[] y, int yFrom, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            s0 += x[xFrom + i] * y[yFrom + i];
            s1 += x[xFrom + i + 1] * y[yFrom + i + 1];
            s2 += x[xFrom + i + 2] * y[yFrom + i + 2];
            s3 += x[xFrom + i + 3] * y[yFrom + i + 3];
        }
        for (; i < length; i++) {
            s0 += x[xFrom + i] * y[yFrom + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** y += alpha x. */
    static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }
}
