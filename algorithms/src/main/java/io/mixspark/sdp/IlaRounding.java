package io.mixspark.sdp;

import io.mixspark.metrics.HungarianAlgorithm;
import java.util.Random;

/**
 * How iLA-SDP turns the blocks Z_1..Z_K of its relaxation into labels. Both read the membership
 * mass m_ik = (Z_k 1)_i, which is nonnegative and sums to 1 over k (the constraint
 * sum_k Z_k 1 = 1): for the membership matrices B_k of a partition it is 1 exactly for the block
 * of row i.
 */
public enum IlaRounding {

    /**
     * Each row to argmax_k (Z_k 1)_i: the block that holds most of the row's mass. Exact when the
     * relaxation is tight; it reads the block identity directly, but it needs the blocks to differ
     * (with all S_k equal the split of the solution among blocks is arbitrary).
     */
    MEMBERSHIP_MASS,

    /**
     * The partition from {@link SdpRounding} of Z = sum_k Z_k (a feasible point of the Peng-Wei
     * SDP, so its standard rounding applies), then each group of that partition matched to a
     * distinct block by maximal total mass (Hungarian algorithm). It does not depend on how the
     * solver splits mass among equal blocks, so with all S_k equal it reduces to the k-means SDP
     * rounding.
     */
    SPECTRAL;

    /**
     * Labels in 0..k-1 for the k row-major n x n blocks z.
     *
     * @param random used by {@link #SPECTRAL}'s k-means++
     */
    int[] round(double[][] z, int n, Random random) {
        double[][] mass = masses(z, n);
        return this == MEMBERSHIP_MASS ? argmax(mass, n, z.length) : spectral(z, mass, n, random);
    }

    /** m[i][k] = (Z_k 1)_i. */
    static double[][] masses(double[][] z, int n) {
        int k = z.length;
        double[][] mass = new double[n][k];
        for (int b = 0; b < k; b++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += z[b][i * n + j];
                }
                mass[i][b] = sum;
            }
        }
        return mass;
    }

    private static int[] argmax(double[][] mass, int n, int k) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int b = 1; b < k; b++) {
                if (mass[i][b] > mass[i][best]) {
                    best = b;
                }
            }
            labels[i] = best;
        }
        return labels;
    }

    private static int[] spectral(double[][] z, double[][] mass, int n, Random random) {
        int k = z.length;
        double[] sum = new double[n * n];
        for (double[] block : z) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += block[i];
            }
        }
        int[] groups = SdpRounding.round(sum, n, k, random);
        double[][] cost = new double[k][k];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < k; b++) {
                cost[groups[i]][b] -= mass[i][b];
            }
        }
        int[] blockOfGroup = HungarianAlgorithm.minimumCostAssignment(cost);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = blockOfGroup[groups[i]];
        }
        return labels;
    }
}
