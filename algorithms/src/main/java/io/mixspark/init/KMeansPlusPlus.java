package io.mixspark.init;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.JavaLikelihoodKernel;
import java.util.Random;

/**
 * Weighted k-means++ seeding (Arthur and Vassilvitskii, 2007) with greedy local trials as in
 * scikit-learn, followed by Lloyd iterations, on a block small enough for one machine: a sample
 * of the data, or the weighted candidates of k-means||.
 */
public final class KMeansPlusPlus {

    private static final int MAX_LLOYD_ITERATIONS = 300;

    private KMeansPlusPlus() {
    }

    /**
     * k centres: seeding then Lloyd iterations until no row changes its centre.
     *
     * @return row-major k x d centres
     * @throws IllegalArgumentException if the block holds fewer than k distinct rows
     */
    public static double[] cluster(DataBlock points, int k, Random random) {
        return lloyd(points, seed(points, k, random), k);
    }

    /** The k-means++ seeding alone: k rows of the block, row-major. */
    public static double[] seed(DataBlock points, int k, Random random) {
        int n = points.rows();
        int d = points.d();
        double[] x = points.values();
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        double[] centres = new double[k * d];
        double[] closest = new double[n];
        double[] candidate = new double[n];
        int first = drawIndex(points, null, totalWeight(points, null), random);
        if (first < 0) {
            throw new IllegalArgumentException("need at least one row with positive weight to seed k-means");
        }
        System.arraycopy(x, first * d, centres, 0, d);
        for (int i = 0; i < n; i++) {
            closest[i] = squaredDistance(x, i * d, centres, 0, d);
        }
        int trials = 2 + (int) Math.log(k);
        for (int c = 1; c < k; c++) {
            double potential = totalWeight(points, closest);
            if (!(potential > 0)) {
                throw new IllegalArgumentException("found only " + c + " distinct rows among the " + n
                        + " rows seeded from, fewer than k = " + k + "; the data may hold fewer distinct rows than k");
            }
            int best = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int index = drawIndex(points, closest, potential, random);
                double trialPotential = 0;
                for (int i = 0; i < n; i++) {
                    candidate[i] = Math.min(closest[i], squaredDistance(x, i * d, x, index * d, d));
                    trialPotential += points.weight(i) * candidate[i];
                }
                if (trialPotential < bestPotential) {
                    bestPotential = trialPotential;
                    best = index;
                }
            }
            System.arraycopy(x, best * d, centres, c * d, d);
            for (int i = 0; i < n; i++) {
                closest[i] = Math.min(closest[i], squaredDistance(x, i * d, x, best * d, d));
            }
        }
        return centres;
    }

    /** Weighted Lloyd iterations from the given centres; a centre that loses all rows stays put. */
    public static double[] lloyd(DataBlock points, double[] initial, int k) {
        int n = points.rows();
        int d = points.d();
        double[] centres = initial.clone();
        int[] labels = new int[n];
        int[] previous = new int[n];
        double[] distances = new double[n];
        for (int iteration = 0; iteration < MAX_LLOYD_ITERATIONS; iteration++) {
            JavaLikelihoodKernel.INSTANCE.nearestCentres(points, centres, k, labels, distances);
            if (iteration > 0 && java.util.Arrays.equals(labels, previous)) {
                break;
            }
            System.arraycopy(labels, 0, previous, 0, n);
            double[] sums = new double[k * d];
            double[] counts = new double[k];
            for (int i = 0; i < n; i++) {
                double w = points.weight(i);
                counts[labels[i]] += w;
                for (int a = 0; a < d; a++) {
                    sums[labels[i] * d + a] += w * points.values()[i * d + a];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int a = 0; a < d; a++) {
                        centres[c * d + a] = sums[c * d + a] / counts[c];
                    }
                }
            }
        }
        return centres;
    }

    /** Draws a row with probability weight * score / total (score 1 when scores is null). */
    private static int drawIndex(DataBlock points, double[] scores, double total, Random random) {
        double target = random.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < points.rows(); i++) {
            double mass = points.weight(i) * (scores == null ? 1 : scores[i]);
            if (mass > 0) {
                cumulative += mass;
                last = i;
                if (cumulative > target) {
                    return i;
                }
            }
        }
        return last;
    }

    private static double totalWeight(DataBlock points, double[] scores) {
        double sum = 0;
        for (int i = 0; i < points.rows(); i++) {
            sum += points.weight(i) * (scores == null ? 1 : scores[i]);
        }
        return sum;
    }

    static double squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int d) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double diff = a[aOffset + j] - b[bOffset + j];
            sum += diff * diff;
        }
        return sum;
    }
}
