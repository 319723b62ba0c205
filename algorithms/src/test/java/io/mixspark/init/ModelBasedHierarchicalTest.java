package io.mixspark.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hierarchical start against mclust's {@code hclass(hc(X, "VVV", use), 2:5)} (reference:
 * src/test/resources/reference/mclust/make_hc_reference.R).
 */
class ModelBasedHierarchicalTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"iris, SVD", "iris, VARS", "wine, SVD", "wine, VARS", "breast_cancer, SVD", "breast_cancer, VARS"})
    void partitionsAtTwoToFiveGroupsEqualMclusts(String name, String use) {
        Dataset data = Fixtures.dataset(name);
        JsonNode reference = Fixtures.json("reference/mclust/hc_partitions.json");
        double[] z = data.values();
        int p = data.d();
        if (use.equals("SVD")) {
            SvdScaling.Scaled scaled = SvdScaling.transform(data.values(), data.rows(), data.d());
            z = scaled.values();
            p = scaled.columns();
        }
        int[][] merges = ModelBasedHierarchical.merges(z, data.rows(), p);
        JsonNode expected = reference.get("cases").get(name + "_" + use);
        for (int g = 2; g <= 5; g++) {
            int[] mclust = Arrays.stream(Fixtures.doubles(expected.get(g - 2))).mapToInt(v -> (int) v - 1).toArray();
            assertArrayEquals(mclust, ModelBasedHierarchical.partition(merges, data.rows(), g), name + " " + use
                    + " G = " + g);
        }
    }

    /**
     * On long thin clusters at a large scale the determinant outweighs the trace term: every
     * merge must be the cheapest by the criterion evaluated from scratch.
     */
    @Test
    void everyMergeIsTheCheapestByTheCriterionFromScratch() {
        Random random = new Random(13);
        int n = 45;
        double[] z = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double angle = (i % 3) * Math.PI / 3;
            double along = 30 * random.nextGaussian();
            double across = 2 * random.nextGaussian();
            z[2 * i] = 60 * (i % 3) + along * Math.cos(angle) - across * Math.sin(angle);
            z[2 * i + 1] = 25 * (i % 2) + along * Math.sin(angle) + across * Math.cos(angle);
        }
        double alpha = ModelBasedHierarchical.meanVariance(z, n, 2);
        int[][] merges = ModelBasedHierarchical.merges(z, n, 2);
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            groups.add(new ArrayList<>(List.of(i)));
        }
        for (int[] merge : merges) {
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < groups.size(); a++) {
                for (int b = a + 1; b < groups.size(); b++) {
                    best = Math.min(best, cost(z, groups.get(a), groups.get(b), alpha));
                }
            }
            List<Integer> first = groupOf(groups, merge[0]);
            List<Integer> second = groupOf(groups, merge[1]);
            assertEquals(best, cost(z, first, second, alpha), 1e-9 * Math.max(1, Math.abs(best)));
            first.addAll(second);
            groups.remove(second);
        }
    }

    private static List<Integer> groupOf(List<List<Integer>> groups, int row) {
        return groups.stream().filter(g -> g.contains(row)).findFirst().orElseThrow();
    }

    private static double cost(double[] z, List<Integer> a, List<Integer> b, double alpha) {
        List<Integer> both = new ArrayList<>(a);
        both.addAll(b);
        return term(z, both, alpha, a.size() == 1 && b.size() == 1) - term(z, a, alpha, false)
                - term(z, b, alpha, false);
    }

    /** n log(|W / n| + (tr W + alpha) / n), without the determinant for n <= 2 or a pair of singletons. */
    private static double term(double[] z, List<Integer> rows, double alpha, boolean singletonPair) {
        int n = rows.size();
        double mx = 0;
        double my = 0;
        for (int r : rows) {
            mx += z[2 * r] / n;
            my += z[2 * r + 1] / n;
        }
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int r : rows) {
            double dx = z[2 * r] - mx;
            double dy = z[2 * r + 1] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        double det = n <= 2 || singletonPair ? 0 : (sxx * syy - sxy * sxy) / ((double) n * n);
        return n * Math.log(det + (sxx + syy + alpha) / n);
    }

    @Test
    void twoTightPairsMergeFirstAndTheTreeEndsInOneGroup() {
        double[] z = {0, 0, 0.1, 0, 10, 10, 10.1, 10, 5, -7};
        int[][] merges = ModelBasedHierarchical.merges(z, 5, 2);
        assertEquals(4, merges.length);
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, ModelBasedHierarchical.partition(merges, 5, 3));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0}, ModelBasedHierarchical.partition(merges, 5, 1));
    }
}
