package io.mixspark.metrics;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Scores comparing a predicted clustering with the true classes. Labels are arbitrary ints; only
 * which points share a label matters. ARI and NMI follow scikit-learn's {@code
 * adjusted_rand_score} and {@code normalized_mutual_info_score}, special cases included.
 */
public final class ClusteringMetrics {

    private ClusteringMetrics() {
    }

    /**
     * Adjusted Rand index: the Rand index corrected for chance, 1 for identical partitions, about 0
     * for independent ones, possibly negative. Hubert &amp; Arabie (1985), "Comparing partitions".
     * Returns 1.0 whenever the two partitions are the same (including n = 1, one cluster each, and
     * all singletons each).
     *
     * @throws IllegalArgumentException if an array is null or empty, or their lengths differ
     */
    public static double adjustedRandIndex(int[] truth, int[] predicted) {
        Contingency c = new Contingency(truth, predicted);
        long n = c.n;
        // Ordered pairs of distinct points, as in sklearn's pair_confusion_matrix; n^2 < 2^63.
        long sumSquares = sumOfSquares(c.cellCounts);
        long bothSame = sumSquares - n;
        long sameTruthOnly = sumOfSquares(c.truthSizes) - sumSquares;
        long samePredictedOnly = sumOfSquares(c.predictedSizes) - sumSquares;
        long bothDifferent = n * n - sameTruthOnly - samePredictedOnly - sumSquares;
        if (sameTruthOnly == 0 && samePredictedOnly == 0) {
            return 1.0;
        }
        // The products can exceed 2^63, so they are formed exactly before rounding to double.
        BigInteger numerator = big(bothSame).multiply(big(bothDifferent))
                .subtract(big(sameTruthOnly).multiply(big(samePredictedOnly)));
        BigInteger denominator = big(bothSame + sameTruthOnly).multiply(big(sameTruthOnly + bothDifferent))
                .add(big(bothSame + samePredictedOnly).multiply(big(samePredictedOnly + bothDifferent)));
        return 2.0 * numerator.doubleValue() / denominator.doubleValue();
    }

    /**
     * Normalised mutual information I(T;P) / ((H(T) + H(P)) / 2), natural logs. Strehl &amp; Ghosh
     * (2002); arithmetic-mean normalisation as in Vinh, Epps &amp; Bailey (2010). Returns 1.0 when
     * both labellings are a single cluster and 0.0 when the mutual information is 0.
     *
     * @throws IllegalArgumentException if an array is null or empty, or their lengths differ
     */
    public static double normalizedMutualInformation(int[] truth, int[] predicted) {
        Contingency c = new Contingency(truth, predicted);
        if (c.truthLabels.length == 1 && c.predictedLabels.length == 1) {
            return 1.0;
        }
        double mi = mutualInformation(c);
        if (mi == 0.0) {
            return 0.0;
        }
        double mean = (entropy(c.truthSizes, c.n) + entropy(c.predictedSizes, c.n)) / 2.0;
        return mi / mean;
    }

    /**
     * Fraction of points outside the best one-to-one matching of predicted clusters to true
     * classes: 1 - max_matching sum_k n(true_k, pred_sigma(k)) / n. The matching maximises the matched
     * count on the contingency table by the Hungarian algorithm, Kuhn (1955) / Munkres (1957).
     *
     * @throws IllegalArgumentException if an array is null or empty, or their lengths differ
     */
    public static double misclusteringRate(int[] truth, int[] predicted) {
        Contingency c = new Contingency(truth, predicted);
        int[] predictedOfTruth = matching(c);
        long[][] table = c.dense();
        long matched = 0;
        for (int t = 0; t < predictedOfTruth.length; t++) {
            if (predictedOfTruth[t] >= 0) {
                matched += table[t][predictedOfTruth[t]];
            }
        }
        return 1.0 - (double) matched / c.n;
    }

    /**
     * The predicted labels renamed to the true labels they are matched to by the matching of
     * {@link #misclusteringRate} (Kuhn 1955 / Munkres 1957), so that fitted components can be compared
     * with known classes point by point. Predicted clusters left unmatched (more clusters than
     * classes) get fresh labels max(truth) + 1, + 2, ... in increasing order of their original label,
     * skipping labels used by {@code truth} if that wraps past {@link Integer#MAX_VALUE}.
     *
     * @return a new array; the fraction of positions where it differs from {@code truth} is the
     *     misclustering rate
     * @throws IllegalArgumentException if an array is null or empty, or their lengths differ
     */
    public static int[] bestLabelMatching(int[] truth, int[] predicted) {
        Contingency c = new Contingency(truth, predicted);
        int[] predictedOfTruth = matching(c);
        int[] rename = new int[c.predictedLabels.length];
        boolean[] matched = new boolean[rename.length];
        for (int t = 0; t < predictedOfTruth.length; t++) {
            if (predictedOfTruth[t] >= 0) {
                rename[predictedOfTruth[t]] = c.truthLabels[t];
                matched[predictedOfTruth[t]] = true;
            }
        }
        int fresh = c.truthLabels[c.truthLabels.length - 1];
        for (int p = 0; p < rename.length; p++) {
            if (!matched[p]) {
                do {
                    fresh++; // wraps to Integer.MIN_VALUE; terminates since labels are fewer than 2^32
                } while (Arrays.binarySearch(c.truthLabels, fresh) >= 0);
                rename[p] = fresh;
            }
        }
        int[] relabelled = new int[c.n];
        for (int i = 0; i < relabelled.length; i++) {
            relabelled[i] = rename[c.predictedIndex[i]];
        }
        return relabelled;
    }

    /** For each true class, the index of its matched predicted cluster, or -1. */
    private static int[] matching(Contingency c) {
        long[][] table = c.dense();
        double[][] cost = new double[table.length][];
        for (int t = 0; t < table.length; t++) {
            cost[t] = new double[table[t].length];
            for (int p = 0; p < table[t].length; p++) {
                cost[t][p] = -table[t][p]; // exact: counts are below 2^31
            }
        }
        return HungarianAlgorithm.minimumCostAssignment(cost);
    }

    /** sklearn's mutual_info_score term by term, including its rounding of tiny terms to zero. */
    private static double mutualInformation(Contingency c) {
        if (c.truthLabels.length == 1 || c.predictedLabels.length == 1) {
            return 0.0;
        }
        double n = c.n;
        double logN = Math.log(n);
        double sum = 0.0;
        for (int k = 0; k < c.cellCounts.length; k++) {
            double nij = c.cellCounts[k];
            double p = nij / n;
            long outer = c.truthSizes[c.cellTruth[k]] * c.predictedSizes[c.cellPredicted[k]];
            double term = p * (Math.log(nij) - logN) + p * (-Math.log((double) outer) + logN + logN);
            sum += Math.abs(term) < Math.ulp(1.0) ? 0.0 : term;
        }
        return Math.max(sum, 0.0);
    }

    private static double entropy(long[] sizes, long n) {
        if (sizes.length == 1) {
            return 0.0;
        }
        double logN = Math.log(n);
        double h = 0.0;
        for (long size : sizes) {
            h -= (size / (double) n) * (Math.log(size) - logN);
        }
        return h;
    }

    private static long sumOfSquares(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v * v;
        }
        return s;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    /** Sparse contingency table: the non-empty cells of (true class, predicted cluster) counts. */
    private static final class Contingency {
        final int n;
        final int[] truthLabels; // sorted distinct labels; row t of the table is truthLabels[t]
        final int[] predictedLabels;
        final int[] predictedIndex; // predictedIndex[i]: column of point i
        final long[] truthSizes;
        final long[] predictedSizes;
        final int[] cellTruth;
        final int[] cellPredicted;
        final long[] cellCounts;

        Contingency(int[] truth, int[] predicted) {
            validate(truth, predicted);
            n = truth.length;
            truthLabels = distinct(truth);
            predictedLabels = distinct(predicted);
            int[] truthIndex = indices(truth, truthLabels);
            predictedIndex = indices(predicted, predictedLabels);
            truthSizes = new long[truthLabels.length];
            predictedSizes = new long[predictedLabels.length];
            long cols = predictedLabels.length;
            long[] keys = new long[n]; // cell key t * cols + p, sorted to count cells without a dense table
            for (int i = 0; i < n; i++) {
                truthSizes[truthIndex[i]]++;
                predictedSizes[predictedIndex[i]]++;
                keys[i] = truthIndex[i] * cols + predictedIndex[i];
            }
            Arrays.sort(keys);
            int cells = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    cells++;
                }
            }
            cellTruth = new int[cells];
            cellPredicted = new int[cells];
            cellCounts = new long[cells];
            int k = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    k++;
                    cellTruth[k] = (int) (keys[i] / cols);
                    cellPredicted[k] = (int) (keys[i] % cols);
                }
                cellCounts[k]++;
            }
        }

        /** The full table; its size is (number of classes) x (number of clusters). */
        long[][] dense() {
            long[][] table = new long[truthLabels.length][predictedLabels.length];
            for (int k = 0; k < cellCounts.length; k++) {
                table[cellTruth[k]][cellPredicted[k]] = cellCounts[k];
            }
            return table;
        }

        private static void validate(int[] truth, int[] predicted) {
            if (truth == null || predicted == null) {
                throw new IllegalArgumentException("labels must not be null: truth is "
                        + (truth == null ? "null" : "of length " + truth.length) + ", predicted is "
                        + (predicted == null ? "null" : "of length " + predicted.length));
            }
            if (truth.length != predicted.length) {
                throw new IllegalArgumentException("truth and predicted must have the same length, got "
                        + truth.length + " and " + predicted.length);
            }
            if (truth.length == 0) {
                throw new IllegalArgumentException("labels must not be empty: truth and predicted have length 0");
            }
        }

        private static int[] distinct(int[] labels) {
            int[] sorted = labels.clone();
            Arrays.sort(sorted);
            int k = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[k - 1]) {
                    sorted[k++] = sorted[i];
                }
            }
            return Arrays.copyOf(sorted, k);
        }

        private static int[] indices(int[] labels, int[] distinct) {
            int[] index = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                index[i] = Arrays.binarySearch(distinct, labels[i]);
            }
            return index;
        }
    }
}
