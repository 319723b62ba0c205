package io.mixspark.mclust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.mclust.MclustReference.BicCell;
import io.mixspark.mclust.MclustReference.BicTable;
import io.mixspark.mclust.MclustReference.Cell;
import io.mixspark.mclust.MclustReference.Data;
import io.mixspark.mclust.MclustReference.Hierarchy;
import io.mixspark.mclust.MclustReference.Start;
import io.mixspark.mclust.MclustReference.Starts;
import io.mixspark.mclust.MclustReference.Table;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The mclust fixtures load, and agree with themselves: df by mclust's count, BIC from loglik and df. */
class MclustReferenceTest {

    /** The models mclustBIC drops when the prior is on (mclust 6.0.0), and me() refuses. */
    private static final Set<String> REFUSED_WITH_PRIOR = Set.of("VEE", "EVE", "VVE", "EVV");

    /** The models whose M-step mclust iterates too slowly at d = 30 for the tight inner tolerance. */
    private static final Set<String> SLOW_AT_D30 = Set.of("VEE", "EVE", "VVE");

    static List<String> all() {
        return MclustReference.ALL;
    }

    static List<String> multivariate() {
        return MclustReference.ALL.stream().filter(name -> !name.equals("acidity")).toList();
    }

    static List<String> complete() {
        return MclustReference.COMPLETE;
    }

    @ParameterizedTest
    @MethodSource("all")
    void startsArePartitionsOfTheDataIntoExactlyGGroups(String dataset) {
        Data data = MclustReference.data(dataset);
        Starts starts = MclustReference.starts(dataset);
        assertEquals(data.n(), starts.n());
        assertEquals(data.d(), starts.d());
        for (int g = 1; g <= 9; g++) {
            Start start = starts.start(g);
            assertEquals(data.n(), start.labels().length);
            int[] sizes = new int[g];
            for (int label : start.labels()) {
                sizes[label]++;
            }
            assertTrue(Arrays.stream(sizes).allMatch(s -> s > 0), dataset + " G = " + g + ": " + Arrays.toString(sizes));
        }
    }

    @ParameterizedTest
    @MethodSource("multivariate")
    void replayingMclustsMergesGivesTheStartLabels(String dataset) {
        Hierarchy hc = MclustReference.hierarchy(dataset);
        Starts starts = MclustReference.starts(dataset);
        assertEquals("VVV", hc.modelName());
        assertEquals("SVD", hc.use());
        assertEquals(starts.n(), hc.transformedData().length);
        for (int g = 1; g <= 9; g++) {
            assertArrayEquals(starts.start(g).labels(), hc.classes(g), dataset + " G = " + g);
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void everyMeCellHasMclustsDfAndBic(String dataset) {
        assertCellsAreConsistent(dataset, MclustReference.me(dataset));
    }

    @ParameterizedTest
    @MethodSource("all")
    void everyPriorCellHasMclustsDfAndBicAndTheDefaultPrior(String dataset) {
        Table table = MclustReference.prior(dataset);
        assertTrue(table.prior());
        assertCellsAreConsistent(dataset, table);
        Data data = MclustReference.data(dataset);
        double[] columnMeans = new double[data.d()];
        for (int i = 0; i < data.n(); i++) {
            for (int a = 0; a < data.d(); a++) {
                columnMeans[a] += data.value(i, a) / data.n();
            }
        }
        for (Cell cell : table.cells()) {
            String where = dataset + " " + cell.model() + " G = " + cell.g();
            if (REFUSED_WITH_PRIOR.contains(cell.model())) {
                assertTrue(cell.failed(), where);
                assertEquals(cell.model() + " model is not available with prior", cell.message(), where);
            }
            assertEquals(0.01, cell.prior().shrinkage(), where);
            assertEquals(data.d() == 1 ? 3 : data.d() + 2, cell.prior().dof(), where);
            for (int a = 0; a < data.d(); a++) {
                assertEquals(columnMeans[a], cell.prior().mean()[a], 1e-12 * (1 + Math.abs(columnMeans[a])), where);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void bicTablesChooseTheirBestCellAndRefuseTheModelsMclustRefusesWithThePrior(String dataset) {
        Data data = MclustReference.data(dataset);
        for (boolean prior : new boolean[] {false, true}) {
            BicTable table = MclustReference.bic(dataset, prior);
            String where = dataset + (prior ? " with prior" : "");
            assertEquals(prior, table.prior(), where);
            assertEquals(table.fitted().size() * 9, table.cells().size(), where);
            BicCell best = null;
            for (BicCell cell : table.cells()) {
                assertEquals(MclustParameterCount.df(cell.model(), data.d(), cell.g()), cell.df(), where);
                assertEquals(Double.isNaN(cell.bic()), cell.failed(), where);
                if (!cell.failed() && (best == null || cell.bic() > best.bic())) {
                    best = cell;
                }
            }
            assertNotNull(best, where);
            assertEquals(best.model() + "," + best.g(), table.top3().get(0), where);
            assertEquals(best.model(), table.chosen().model(), where);
            assertEquals(best.g(), table.chosen().g(), where);
            assertEquals(best.bic(), table.chosen().bic(), 1e-6 * Math.abs(best.bic()), where);
            assertEquals(2 * table.chosen().loglik() - table.chosen().df() * Math.log(data.n()), table.chosen().bic(),
                    1e-9 * Math.abs(best.bic()), where);
            Set<String> refused = new HashSet<>(table.refused());
            if (prior && data.d() > 1) {
                Set<String> expected = new HashSet<>(REFUSED_WITH_PRIOR);
                expected.removeAll(table.skipped());
                assertEquals(expected, refused, where);
            } else {
                assertTrue(refused.isEmpty(), where);
            }
        }
    }

    @Test
    void onD30VvvFailsWithoutThePriorFromGSevenOnAndEveryPriorFitIsFinite() {
        Table plain = MclustReference.me("d30");
        Table prior = MclustReference.prior("d30");
        for (int g = 1; g <= 9; g++) {
            assertEquals(g >= 7, plain.cell("VVV", g).failed(), "VVV G = " + g);
            assertTrue(Double.isFinite(prior.cell("VVV", g).loglik()), "VVV with prior, G = " + g);
        }
        for (Cell cell : prior.cells()) {
            assertEquals(REFUSED_WITH_PRIOR.contains(cell.model()), cell.failed(), cell.model() + " G = " + cell.g());
        }
    }

    private static void assertCellsAreConsistent(String dataset, Table table) {
        Data data = MclustReference.data(dataset);
        assertEquals(data.n(), table.n());
        assertEquals(data.d(), table.d());
        assertFalse(table.cells().isEmpty());
        for (Cell cell : table.cells()) {
            String where = dataset + " " + cell.model() + " G = " + cell.g();
            assertEquals(MclustParameterCount.df(cell.model(), data.d(), cell.g()), cell.df(), where);
            assertEquals(table.tol()[0], cell.tol()[0], where);
            if (!(data.d() >= 30 && SLOW_AT_D30.contains(cell.model()))) {
                assertArrayEquals(table.tol(), cell.tol(), where);
            }
            if (cell.failed()) {
                assertTrue(Double.isNaN(cell.loglik()), where);
                continue;
            }
            double bic = 2 * cell.loglik() - cell.df() * Math.log(data.n());
            assertEquals(bic, cell.bic(), 1e-12 * Math.abs(bic), where);
            // VEE at d = 30 stops its inner iterations at 1e-10: its loglik is 2e-9 off its parameters'
            double slack = data.d() >= 30 && SLOW_AT_D30.contains(cell.model()) ? 1e-8 : 1e-9;
            assertEquals(cell.loglik(), cell.loglikOfParameters(), slack * Math.abs(cell.loglik()), where);
            assertParametersHaveTheirShapes(cell, cell.g(), data.d(), where);
        }
    }

    @ParameterizedTest
    @MethodSource("complete")
    void completeDatasetsHoldEveryModelForGOneToFiveWithAndWithoutThePriorAndInTheBicTable(String dataset) {
        for (Table table : List.of(MclustReference.me(dataset), MclustReference.prior(dataset))) {
            assertEquals(MclustReference.MODELS.size() * 5, table.cells().size());
            assertTrue(table.skipped().isEmpty());
            for (String model : MclustReference.MODELS) {
                for (int g = 1; g <= 5; g++) {
                    assertEquals(model, table.cell(model, g).model());
                }
            }
        }
        assertEquals(MclustReference.MODELS, MclustReference.bic(dataset, false).fitted());
    }

    private static void assertParametersHaveTheirShapes(Cell cell, int g, int d, String where) {
        assertNotNull(cell.parameters(), where);
        assertEquals(g, cell.parameters().pro().length, where);
        assertEquals(1.0, Arrays.stream(cell.parameters().pro()).sum(), 1e-12, where);
        assertEquals(g, cell.parameters().mean().length, where);
        assertEquals(d, cell.parameters().mean()[0].length, where);
        double[][][] sigma = cell.parameters().sigma();
        assertEquals(g, sigma.length, where);
        for (double[][] s : sigma) {
            assertEquals(d, s.length, where);
            for (int a = 0; a < d; a++) {
                assertFalse(Double.isNaN(s[a][a]), where);
                assertEquals(s[a][(a + 1) % d], s[(a + 1) % d][a], 1e-12 * Math.abs(s[a][a]), where);
            }
        }
    }
}
