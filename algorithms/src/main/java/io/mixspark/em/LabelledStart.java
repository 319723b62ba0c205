package io.mixspark.em;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;

/**
 * Starting centres when some rows carry a known component: each labelled component starts at
 * the mean of its labelled rows, and the components no label names (new classes) take the
 * unsupervised start's centres that lie farthest from those already chosen.
 */
final class LabelledStart {

    private LabelledStart() {
    }

    /**
     * The centres to start from: {@code unsupervised} when no row is labelled, else adjusted as
     * described above.
     *
     * @param unsupervised row-major k x d centres of the ordinary start
     */
    static double[] centres(BlockData data, double[] unsupervised, int k) {
        int d = data.dimension();
        double[][] sums = data.aggregate(new ClassSums(k, d));
        boolean any = false;
        for (double[] s : sums) {
            any |= s[d] > 0;
        }
        if (!any) {
            return unsupervised;
        }
        double[] out = new double[k * d];
        boolean[] chosen = new boolean[k];
        for (int c = 0; c < k; c++) {
            if (sums[c][d] > 0) {
                for (int a = 0; a < d; a++) {
                    out[c * d + a] = sums[c][a] / sums[c][d];
                }
                chosen[c] = true;
            }
        }
        boolean[] used = new boolean[k];
        for (int c = 0; c < k; c++) {
            if (!chosen[c]) {
                int best = farthest(unsupervised, used, out, chosen, k, d);
                used[best] = true;
                System.arraycopy(unsupervised, best * d, out, c * d, d);
                chosen[c] = true;
            }
        }
        return out;
    }

    /** The unused candidate centre whose nearest chosen centre is farthest away. */
    private static int farthest(double[] candidates, boolean[] used, double[] centres, boolean[] chosen, int k,
                                int d) {
        int best = -1;
        double bestDistance = -1;
        for (int j = 0; j < k; j++) {
            if (used[j]) {
                continue;
            }
            double nearest = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (chosen[c]) {
                    double s = 0;
                    for (int a = 0; a < d; a++) {
                        double diff = candidates[j * d + a] - centres[c * d + a];
                        s += diff * diff;
                    }
                    nearest = Math.min(nearest, s);
                }
            }
            if (nearest > bestDistance) {
                bestDistance = nearest;
                best = j;
            }
        }
        return best;
    }

    /** Per component, the weighted sums of its labelled rows (d values) and their weight (at index d). */
    private record ClassSums(int k, int d) implements BlockAggregator<double[][]> {

        @Override
        public double[][] zero() {
            return new double[k][d + 1];
        }

        @Override
        public double[][] add(double[][] acc, DataBlock block) {
            for (int i = 0; i < block.rows(); i++) {
                int label = block.label(i);
                if (label == DataBlock.UNLABELLED) {
                    continue;
                }
                DataBlock.requireComponent(label, k);
                double w = block.weight(i);
                for (int a = 0; a < d; a++) {
                    acc[label][a] += w * block.values()[i * d + a];
                }
                acc[label][d] += w;
            }
            return acc;
        }

        @Override
        public double[][] merge(double[][] left, double[][] right) {
            for (int c = 0; c < k; c++) {
                for (int a = 0; a <= d; a++) {
                    left[c][a] += right[c][a];
                }
            }
            return left;
        }
    }
}
