package io.mixspark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusteringMetricsTest {

    private static final double REFERENCE_TOLERANCE = 1e-12;

    /** One case of reference/clustering_metrics.json (written by make_sklearn_reference.py). */
    record ReferenceCase(String name, int[] labelsTrue, int[] labelsPred, double adjustedRandIndex,
            double normalizedMutualInfo, double misclusteringRate) {
    }

    static Stream<Arguments> referenceCases() throws IOException {
        try (InputStream in = ClusteringMetricsTest.class.getResourceAsStream("/reference/clustering_metrics.json")) {
            assertNotNull(in, "missing test resource reference/clustering_metrics.json");
            List<ReferenceCase> cases = new ObjectMapper().readValue(in, new TypeReference<List<ReferenceCase>>() {
            });
            assertFalse(cases.isEmpty(), "no cases in clustering_metrics.json");
            return cases.stream().map(c -> Arguments.of(c.name(), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void agreesWithScikitLearn(String name, ReferenceCase c) {
        int[] t = c.labelsTrue();
        int[] p = c.labelsPred();
        assertEquals(c.adjustedRandIndex(), ClusteringMetrics.adjustedRandIndex(t, p), REFERENCE_TOLERANCE, "ARI");
        assertEquals(c.normalizedMutualInfo(), ClusteringMetrics.normalizedMutualInformation(t, p),
                REFERENCE_TOLERANCE, "NMI");
        assertEquals(c.misclusteringRate(), ClusteringMetrics.misclusteringRate(t, p), REFERENCE_TOLERANCE,
                "misclustering rate");
        assertEquals(c.misclusteringRate(), disagreement(t, ClusteringMetrics.bestLabelMatching(t, p)),
                REFERENCE_TOLERANCE, "misclustering rate from bestLabelMatching");
    }

    // ---- hand-checked values ----

    @Test
    void smallExampleByHand() {
        int[] truth = {0, 0, 1, 1};
        int[] pred = {0, 0, 1, 2};
        // Pairs: sum C(n_ij,2) = 1, rows 2, columns 1, all 6: ARI = (1 - 2/6) / (3/2 - 2/6) = 4/7.
        assertEquals(4.0 / 7.0, ClusteringMetrics.adjustedRandIndex(truth, pred), 1e-15);
        // H(T) = ln 2, H(P) = 1.5 ln 2, I = ln 2: NMI = 1 / 1.25.
        assertEquals(0.8, ClusteringMetrics.normalizedMutualInformation(truth, pred), 1e-15);
        assertEquals(0.25, ClusteringMetrics.misclusteringRate(truth, pred), 0.0);
    }

    @Test
    void bestLabelMatchingRenamesToMatchedClassesAndFreshLabels() {
        int[] truth = {5, 5, 5, 7, 7, 7, 7};
        int[] pred = {3, 3, 1, 2, 2, 2, 1};
        // Table rows 5, 7 x columns 1, 2, 3: [[1, 0, 2], [1, 3, 0]]; only 3->5, 2->7 matches 5 points.
        assertArrayEquals(new int[] {5, 5, 8, 7, 7, 7, 8}, ClusteringMetrics.bestLabelMatching(truth, pred));
        assertEquals(2.0 / 7.0, ClusteringMetrics.misclusteringRate(truth, pred), 1e-15);
    }

    @Test
    void freshLabelsWrapPastMaxValueWithoutClashing() {
        int max = Integer.MAX_VALUE;
        int min = Integer.MIN_VALUE;
        int[] truth = {max, max, min, min, min, 0};
        int[] pred = {4, 4, 5, 5, 5, 6};
        // 4->max, 5->min, 6->0 is just a renaming; a fourth predicted cluster 7 needs a fresh label,
        // and max + 1 wraps to min, which truth uses.
        int[] pred4 = {4, 4, 5, 5, 7, 6};
        assertArrayEquals(truth, ClusteringMetrics.bestLabelMatching(truth, pred));
        assertArrayEquals(new int[] {max, max, min, min, min + 1, 0}, ClusteringMetrics.bestLabelMatching(truth, pred4));
    }

    @Test
    void fewerPredictedThanTrueClusters() {
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] pred = {9, 9, 9, 9, 9, 9};
        assertEquals(0.5, ClusteringMetrics.misclusteringRate(truth, pred), 0.0);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0}, ClusteringMetrics.bestLabelMatching(truth, pred));
    }

    @Test
    void specialCasesFollowScikitLearn() {
        int[] one = {3, 3, 3, 3};
        int[] singletons = {1, 2, 3, 4};
        int[] split = {3, 3, 4, 4};
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(one, new int[] {8, 8, 8, 8}), 0.0);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(singletons, new int[] {7, 6, 5, 4}), 0.0);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(new int[] {0}, new int[] {5}), 0.0);
        assertEquals(0.0, ClusteringMetrics.adjustedRandIndex(one, singletons), 0.0);
        assertEquals(0.0, ClusteringMetrics.adjustedRandIndex(one, split), 0.0);
        assertEquals(1.0, ClusteringMetrics.normalizedMutualInformation(one, new int[] {8, 8, 8, 8}), 0.0);
        assertEquals(1.0, ClusteringMetrics.normalizedMutualInformation(new int[] {0}, new int[] {5}), 0.0);
        assertEquals(0.0, ClusteringMetrics.normalizedMutualInformation(one, split), 0.0);
        assertEquals(0.0, ClusteringMetrics.normalizedMutualInformation(split, one), 0.0);
        assertEquals(1.0, ClusteringMetrics.normalizedMutualInformation(singletons, new int[] {7, 6, 5, 4}), 1e-15);
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(singletons, new int[] {7, 6, 5, 4}), 0.0);
        assertEquals(0.75, ClusteringMetrics.misclusteringRate(one, singletons), 0.0);
    }

    @Test
    void pairCountsDoNotOverflowForTenMillionPoints() {
        int n = 10_000_000;
        int[] truth = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 3;
            pred[i] = i < 1_000_000 ? (i % 3 + 1) % 3 : i % 3; // first 10% rotated
        }
        // Classical form with exact-in-double pair counts (all below 2^53).
        double[][] table = new double[3][3];
        for (int i = 0; i < n; i++) {
            table[truth[i]][pred[i]]++;
        }
        double index = 0;
        double rows = 0;
        double cols = 0;
        for (int a = 0; a < 3; a++) {
            double r = 0;
            double s = 0;
            for (int b = 0; b < 3; b++) {
                index += pairs(table[a][b]);
                r += table[a][b];
                s += table[b][a];
            }
            rows += pairs(r);
            cols += pairs(s);
        }
        double expected = rows * cols / pairs(n);
        double ari = (index - expected) / ((rows + cols) / 2 - expected);
        assertEquals(ari, ClusteringMetrics.adjustedRandIndex(truth, pred), 1e-12);
        assertEquals(0.1, ClusteringMetrics.misclusteringRate(truth, pred), 1e-12);
        double nmi = ClusteringMetrics.normalizedMutualInformation(truth, pred);
        assertTrue(nmi > 0.5 && nmi < 1, "NMI " + nmi);
    }

    private static double pairs(double m) {
        return m * (m - 1) / 2;
    }

    // ---- invariance to label names ----

    @Test
    void allMetricsAreInvariantToRenamingLabels() {
        Random rnd = new Random(20240611);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(60);
            int[] truth = randomLabels(rnd, n, 1 + rnd.nextInt(5));
            int[] pred = randomLabels(rnd, n, 1 + rnd.nextInt(6));
            int[] truthRenamed = rename(rnd, truth);
            int[] predRenamed = rename(rnd, pred);
            for (BiFunction<int[], int[], Double> metric : List.<BiFunction<int[], int[], Double>>of(
                    ClusteringMetrics::adjustedRandIndex,
                    ClusteringMetrics::normalizedMutualInformation,
                    ClusteringMetrics::misclusteringRate)) {
                double base = metric.apply(truth, pred);
                assertEquals(base, metric.apply(truthRenamed, pred), 1e-12);
                assertEquals(base, metric.apply(truth, predRenamed), 1e-12);
                assertEquals(base, metric.apply(truthRenamed, predRenamed), 1e-12);
            }
            int[] matched = ClusteringMetrics.bestLabelMatching(truth, pred);
            assertEquals(ClusteringMetrics.misclusteringRate(truth, pred), disagreement(truth, matched), 1e-12);
            assertEquals(ClusteringMetrics.adjustedRandIndex(truth, pred),
                    ClusteringMetrics.adjustedRandIndex(truth, matched), 1e-12, "matching only renames");
        }
    }

    @Test
    void misclusteringRateIsTheBestOverAllMatchings() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(40);
            int[] truth = randomLabels(rnd, n, 1 + rnd.nextInt(5));
            int[] pred = randomLabels(rnd, n, 1 + rnd.nextInt(5));
            int[] tl = Arrays.stream(truth).distinct().sorted().toArray();
            int[] pl = Arrays.stream(pred).distinct().sorted().toArray();
            double[][] agreement = new double[tl.length][pl.length];
            for (int i = 0; i < n; i++) {
                agreement[Arrays.binarySearch(tl, truth[i])][Arrays.binarySearch(pl, pred[i])]--;
            }
            double best = -bruteForceMinimum(agreement);
            assertEquals(1.0 - best / n, ClusteringMetrics.misclusteringRate(truth, pred), 1e-12);
        }
    }

    // ---- Hungarian algorithm ----

    @Test
    void hungarianOnHandCheckedMatrices() {
        double[][] square = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        // Columns of rows 0,1,2 and costs: 012->6, 021->11, 102->5 (1+2+2), 120->9, 201->7, 210->6.
        assertArrayEquals(new int[] {1, 0, 2}, HungarianAlgorithm.minimumCostAssignment(square));
        double[][] wide = {{10, 2, 8, 7}, {3, 9, 1, 4}};
        assertArrayEquals(new int[] {1, 2}, HungarianAlgorithm.minimumCostAssignment(wide));
        double[][] tall = {{10, 3}, {2, 9}, {8, 1}, {7, 4}};
        // Columns: 0 -> row 1 (2), 1 -> row 2 (1); rows 0 and 3 left out.
        assertArrayEquals(new int[] {-1, 0, 1, -1}, HungarianAlgorithm.minimumCostAssignment(tall));
        assertArrayEquals(new int[0], HungarianAlgorithm.minimumCostAssignment(new double[0][]));
        assertArrayEquals(new int[] {-1, -1}, HungarianAlgorithm.minimumCostAssignment(new double[2][0]));
        assertArrayEquals(new int[] {0}, HungarianAlgorithm.minimumCostAssignment(new double[][] {{-3.5}}));
    }

    @Test
    void hungarianMatchesBruteForceOnRandomMatricesUpToSixBySix() {
        Random rnd = new Random(1955);
        for (int trial = 0; trial < 2000; trial++) {
            int rows = 1 + rnd.nextInt(6);
            int cols = 1 + rnd.nextInt(6);
            boolean ties = rnd.nextBoolean();
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int j = 0; j < cols; j++) {
                    row[j] = ties ? rnd.nextInt(4) - 1 : rnd.nextDouble() * 200 - 100;
                }
            }
            int[] assignment = HungarianAlgorithm.minimumCostAssignment(cost);
            assertEquals(rows, assignment.length);
            Set<Integer> used = new HashSet<>();
            double total = 0;
            for (int i = 0; i < rows; i++) {
                if (assignment[i] >= 0) {
                    assertTrue(assignment[i] < cols);
                    assertTrue(used.add(assignment[i]), "column used twice");
                    total += cost[i][assignment[i]];
                } else {
                    assertEquals(-1, assignment[i]);
                }
            }
            assertEquals(Math.min(rows, cols), used.size(), "assignment is not maximal");
            assertEquals(bruteForceMinimum(cost), total, 1e-9, () -> Arrays.deepToString(cost));
        }
    }

    @Test
    void hungarianValidatesItsInput() {
        assertThrows(IllegalArgumentException.class, () -> HungarianAlgorithm.minimumCostAssignment(null));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> HungarianAlgorithm.minimumCostAssignment(new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("ragged"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HungarianAlgorithm.minimumCostAssignment(new double[][] {{1, 2}, null}));
        assertThrows(IllegalArgumentException.class,
                () -> HungarianAlgorithm.minimumCostAssignment(new double[][] {{1, Double.NaN}}));
        assertThrows(IllegalArgumentException.class,
                () -> HungarianAlgorithm.minimumCostAssignment(new double[][] {{Double.POSITIVE_INFINITY}}));
    }

    // ---- validation ----

    @Test
    void metricsValidateTheirInput() {
        List<BiFunction<int[], int[], ?>> metrics = List.of(
                ClusteringMetrics::adjustedRandIndex,
                ClusteringMetrics::normalizedMutualInformation,
                ClusteringMetrics::misclusteringRate,
                ClusteringMetrics::bestLabelMatching);
        for (BiFunction<int[], int[], ?> metric : metrics) {
            String nullTruth = assertThrows(IllegalArgumentException.class,
                    () -> metric.apply(null, new int[] {1, 2})).getMessage();
            assertTrue(nullTruth.contains("null") && nullTruth.contains("length 2"), nullTruth);
            String nullPred = assertThrows(IllegalArgumentException.class,
                    () -> metric.apply(new int[] {1}, null)).getMessage();
            assertTrue(nullPred.contains("null") && nullPred.contains("length 1"), nullPred);
            String lengths = assertThrows(IllegalArgumentException.class,
                    () -> metric.apply(new int[] {1, 2, 3}, new int[] {1, 2, 3, 4})).getMessage();
            assertTrue(lengths.contains("same length") && lengths.contains("3") && lengths.contains("4"), lengths);
            String empty = assertThrows(IllegalArgumentException.class,
                    () -> metric.apply(new int[0], new int[0])).getMessage();
            assertTrue(empty.contains("empty") && empty.contains("0"), empty);
        }
    }

    // ---- helpers ----

    private static int[] randomLabels(Random rnd, int n, int k) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(k);
        }
        return labels;
    }

    /** Applies a random injective renaming, with negative and extreme label values. */
    private static int[] rename(Random rnd, int[] labels) {
        Map<Integer, Integer> names = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        int[] pool = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 42};
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = names.computeIfAbsent(labels[i], key -> {
                int candidate;
                do {
                    candidate = rnd.nextBoolean() ? pool[rnd.nextInt(pool.length)] : rnd.nextInt();
                } while (!taken.add(candidate));
                return candidate;
            });
        }
        return out;
    }

    private static double disagreement(int[] a, int[] b) {
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                differ++;
            }
        }
        return (double) differ / a.length;
    }

    /** Minimum total cost over all maximal one-to-one matchings, by trying every one. */
    private static double bruteForceMinimum(double[][] cost) {
        int rows = cost.length;
        int cols = rows == 0 ? 0 : cost[0].length;
        if (rows > cols) {
            double[][] t = new double[cols][rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[j][i] = cost[i][j];
                }
            }
            return bruteForceMinimum(t);
        }
        return bruteForce(cost, 0, new boolean[cols]);
    }

    private static double bruteForce(double[][] cost, int row, boolean[] used) {
        if (row == cost.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
