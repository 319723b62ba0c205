package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * How the labelings of iLA-SDP's starts compete: by their cross-validated Gaussian log-likelihood,
 * falling back to the in-sample objective when cross-validation cannot tell them apart.
 *
 * <p>The in-sample objective, sum_i log phi(x_i; mean_{l_i}, S_{l_i}) with each cluster's shrunk
 * covariance, rewards a partition for fitting its own rows. With rows per cluster of the order of
 * d(d+1)/2 that reward is large: on the {@code elongated-compact} family (d = 50, 200 rows per
 * cluster) labelings that misplace 5-25 rows score 15-270 nats above the right one, while their
 * held-out likelihood is 300-1300 nats worse (docs/SDP.md, "Starts"). The held-out score
 * (Smyth, "Model selection for probabilistic clustering using cross-validated likelihood", Statistics
 * and Computing 10, 2000) estimates each cluster's Gaussian on nine tenths of the rows, by the same
 * shrinkage rule, and scores the other tenth under its labels. Where the two candidates are close
 * (within one standard error of the summed per-fold differences, the usual one-standard-error
 * rule) the held-out score is mostly noise and the in-sample objective, computed from all rows,
 * decides. The fold of a row is a fixed hash of its position, so a fit is reproducible.
 */
final class IlaSelection {

    /** Folds of the cross-validation. */
    static final int FOLDS = 10;

    private IlaSelection() {
    }

    /**
     * A labeling with its scores.
     *
     * @param objective the in-sample objective ({@link ClusterGaussians#logLikelihood})
     * @param heldOut   the held-out log-likelihood of each fold, or null when some cluster has no
     *                  rows outside a fold (the labeling then loses to any labeling with a score)
     */
    record Scored(int[] labels, double objective, double[] heldOut) {

        double heldOutTotal() {
            double total = 0;
            for (double fold : heldOut) {
                total += fold;
            }
            return total;
        }
    }

    static Scored score(DataBlock points, int[] labels, int k, double objective, IlaSdpOptions options) {
        return new Scored(labels, objective, heldOut(points, labels, k, options));
    }

    /**
     * The index of the preferred labeling; ties go to the earlier one. A labeling without a held-out
     * score loses to every labeling that has one: a cluster of one or two rows is what typically leaves
     * a fold without training rows, and its near-singular covariance is exactly the in-sample overfit the
     * held-out score is there to catch.
     */
    static int best(List<Scored> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no labeling to choose from");
        }
        boolean anyHeldOut = candidates.stream().anyMatch(c -> c.heldOut() != null);
        int inSample = -1;
        int crossValidated = -1;
        for (int c = 0; c < candidates.size(); c++) {
            Scored s = candidates.get(c);
            if ((!anyHeldOut || s.heldOut() != null)
                    && (inSample < 0 || s.objective() > candidates.get(inSample).objective())) {
                inSample = c;
            }
            if (s.heldOut() != null && (crossValidated < 0
                    || s.heldOutTotal() > candidates.get(crossValidated).heldOutTotal())) {
                crossValidated = c;
            }
        }
        if (crossValidated < 0 || crossValidated == inSample) {
            return inSample;
        }
        Scored held = candidates.get(crossValidated);
        Scored fitted = candidates.get(inSample);
        return clearlyBetter(held.heldOut(), fitted.heldOut()) ? crossValidated : inSample;
    }

    /** Candidates in order of preference: the best, then the best of the rest, and so on. */
    static List<Integer> ranking(List<Scored> candidates) {
        List<Integer> left = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            left.add(c);
        }
        List<Integer> order = new ArrayList<>();
        while (!left.isEmpty()) {
            int pick = best(left.stream().map(candidates::get).toList());
            order.add(left.remove(pick));
        }
        return order;
    }

    /** Whether a's summed held-out likelihood exceeds b's by more than one standard error. */
    static boolean clearlyBetter(double[] a, double[] b) {
        double sum = 0;
        double squares = 0;
        for (int f = 0; f < a.length; f++) {
            double difference = a[f] - b[f];
            sum += difference;
            squares += difference * difference;
        }
        double mean = sum / a.length;
        double variance = Math.max(0, (squares - a.length * mean * mean) / (a.length - 1));
        return sum > Math.sqrt(a.length * variance);
    }

    static double[] heldOut(DataBlock points, int[] labels, int k, IlaSdpOptions options) {
        int n = points.rows();
        int d = points.d();
        double[] x = points.values();
        double[] scores = new double[FOLDS];
        for (int f = 0; f < FOLDS; f++) {
            int testRows = 0;
            for (int i = 0; i < n; i++) {
                testRows += fold(i) == f ? 1 : 0;
            }
            double[] train = new double[(n - testRows) * d];
            double[] test = new double[testRows * d];
            int[] trainLabels = new int[n - testRows];
            int[] testLabels = new int[testRows];
            int a = 0;
            int b = 0;
            for (int i = 0; i < n; i++) {
                if (fold(i) == f) {
                    System.arraycopy(x, i * d, test, b * d, d);
                    testLabels[b++] = labels[i];
                } else {
                    System.arraycopy(x, i * d, train, a * d, d);
                    trainLabels[a++] = labels[i];
                }
            }
            if (IlaSdp.hasEmptyCluster(trainLabels, k)) {
                return null;
            }
            if (testRows > 0) {
                ClusterGaussians gaussians = ClusterGaussians.of(DataBlock.of(train, d), trainLabels, k,
                        options.regCovar(), options.shrinkage());
                scores[f] = gaussians.logLikelihood(DataBlock.of(test, d), testLabels);
            }
        }
        return scores;
    }

    /**
     * The fold of row i: the top bits of a multiplicative (Fibonacci) hash scaled to 0..FOLDS-1, so
     * that rows drawn in a pattern do not share a fold and small n still fills every fold.
     */
    static int fold(int i) {
        long top = ((i + 1L) * 0x9E3779B97F4A7C15L) >>> 32;
        return (int) ((top * FOLDS) >>> 32);
    }
}
