package io.mixspark.sdp;

import java.io.Serializable;

/**
 * What a rounding pass returns: per new label its row count and the sum of its (centred) rows,
 * and the contingency table of previous against new labels, which tells whether the labelling
 * changed beyond a relabelling.
 */
final class LabelSums implements Serializable {

    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final long[] counts;
    final double[] sums;
    final long[] contingency;
    boolean hadPrevious = true;

    LabelSums(int k, int d) {
        this.k = k;
        this.d = d;
        this.counts = new long[k];
        this.sums = new double[k * d];
        this.contingency = new long[k * k];
    }

    void add(int previous, int label, double[] x, int offset) {
        counts[label]++;
        for (int a = 0; a < d; a++) {
            sums[label * d + a] += x[offset + a];
        }
        if (previous >= 0) {
            contingency[previous * k + label]++;
        } else {
            hadPrevious = false;
        }
    }

    LabelSums merge(LabelSums other) {
        for (int c = 0; c < k; c++) {
            counts[c] += other.counts[c];
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        for (int i = 0; i < contingency.length; i++) {
            contingency[i] += other.contingency[i];
        }
        hadPrevious &= other.hadPrevious;
        return this;
    }

    /** Whether every previous label went wholly to one new label, and no two to the same. */
    boolean samePartitionAsBefore() {
        if (!hadPrevious) {
            return false;
        }
        boolean[] taken = new boolean[k];
        for (int p = 0; p < k; p++) {
            int target = -1;
            for (int c = 0; c < k; c++) {
                if (contingency[p * k + c] > 0) {
                    if (target >= 0 || taken[c]) {
                        return false;
                    }
                    target = c;
                }
            }
            if (target >= 0) {
                taken[target] = true;
            }
        }
        return true;
    }
}
