package io.mixspark.gmm;

/** Small dense helpers for the M-steps' d x d row-major matrices. */
final class Dense {

    private Dense() {
    }

    /** a b. */
    static double[] times(double[] a, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int r = 0; r < d; r++) {
                double air = a[i * d + r];
                if (air == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += air * b[r * d + j];
                }
            }
        }
        return out;
    }

    static double[] transpose(double[] a, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[j * d + i] = a[i * d + j];
            }
        }
        return out;
    }

    /** The diagonal of q^T m q (q's columns are directions). */
    static double[] rotatedDiagonal(double[] m, double[] q, int d) {
        double[] mq = times(m, q, d);
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += q[i * d + j] * mq[i * d + j];
            }
            out[j] = s;
        }
        return out;
    }

    /** q diag(values) q^T, exactly symmetric. */
    static double[] compose(double[] q, double[] values, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int r = 0; r < d; r++) {
                    s += q[i * d + r] * values[r] * q[j * d + r];
                }
                out[i * d + j] = s;
                out[j * d + i] = s;
            }
        }
        return out;
    }

    static double[] identity(int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            out[i * d + i] = 1;
        }
        return out;
    }

    /** The diagonal of a d x d matrix. */
    static double[] diagonal(double[] m, int d) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = m[i * d + i];
        }
        return out;
    }

    /** (prod v)^(1/d) through logs; NaN unless every value is positive and finite. */
    static double geometricMean(double[] v) {
        double s = 0;
        for (double x : v) {
            if (!(x > 0) || !Double.isFinite(x)) {
                return Double.NaN;
            }
            s += Math.log(x);
        }
        return Math.exp(s / v.length);
    }

    static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }
}
