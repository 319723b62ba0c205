package io.mixspark.sdp;

import java.io.Serializable;

/**
 * The sums a step of the Burer-Monteiro solver needs from all rows, over the new unscaled factor
 * rows v'_i, the dual y and the previous scaled rows u_i: X^T V' (d x r), V'^T 1, V'^T y, V'^T V'
 * (r x r), ||V' - U||^2, &lt;V' - U, U&gt; and sum_i (u_i^T s - 1)^2. O(d r + r^2) numbers, whatever
 * the number of rows.
 */
final class FactorSums implements Serializable {

    private static final long serialVersionUID = 1L;

    final int d;
    final int r;
    final double[] xtv;
    final double[] vSum;
    final double[] vy;
    final double[] vtv;
    double moved;
    double movedDotU;
    double rowSumError;
    long rows;

    FactorSums(int d, int r) {
        this.d = d;
        this.r = r;
        this.xtv = new double[d * r];
        this.vSum = new double[r];
        this.vy = new double[r];
        this.vtv = new double[r * r];
    }

    /** Adds row i's new factor row (and its dual) to the sums. */
    void addRow(double[] x, int xOffset, double[] v, int vOffset, double y) {
        for (int a = 0; a < d; a++) {
            double xa = x[xOffset + a];
            if (xa != 0) {
                for (int j = 0; j < r; j++) {
                    xtv[a * r + j] += xa * v[vOffset + j];
                }
            }
        }
        for (int j = 0; j < r; j++) {
            double vj = v[vOffset + j];
            vSum[j] += vj;
            vy[j] += vj * y;
            if (vj != 0) {
                for (int l = 0; l < r; l++) {
                    vtv[j * r + l] += vj * v[vOffset + l];
                }
            }
        }
        rows++;
    }

    /** Adds other into this (never the reverse: other may be a cached partition's summary). */
    FactorSums merge(FactorSums other) {
        add(xtv, other.xtv);
        add(vSum, other.vSum);
        add(vy, other.vy);
        add(vtv, other.vtv);
        moved += other.moved;
        movedDotU += other.movedDotU;
        rowSumError += other.rowSumError;
        rows += other.rows;
        return this;
    }

    /** ||V'||_F^2 = tr(V'^T V'). */
    double squaredNorm() {
        double sum = 0;
        for (int j = 0; j < r; j++) {
            sum += vtv[j * r + j];
        }
        return sum;
    }

    private static void add(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
