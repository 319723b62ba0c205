package io.mixspark.mclust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.mclust.MclustReference.Cell;
import io.mixspark.mclust.MclustReference.Data;
import io.mixspark.mclust.MclustReference.Start;
import io.mixspark.mclust.MclustReference.Starts;
import io.mixspark.mclust.MclustReference.Table;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The mclust fixtures load, and agree with themselves: df by mclust's count, BIC from loglik and df. */
class MclustReferenceTest {

    static java.util.List<String> foundation() {
        return MclustReference.FOUNDATION;
    }

    @ParameterizedTest
    @MethodSource("foundation")
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
    @MethodSource("foundation")
    void everyCellHasMclustsDfAndBic(String dataset) {
        Table table = MclustReference.me(dataset);
        Data data = MclustReference.data(dataset);
        assertEquals(data.n(), table.n());
        assertEquals(data.d(), table.d());
        assertFalse(table.cells().isEmpty());
        for (Cell cell : table.cells()) {
            String where = dataset + " " + cell.model() + " G = " + cell.g();
            assertEquals(MclustParameterCount.df(cell.model(), data.d(), cell.g()), cell.df(), where);
            if (cell.failed()) {
                assertTrue(Double.isNaN(cell.loglik()), where);
                continue;
            }
            double bic = 2 * cell.loglik() - cell.df() * Math.log(data.n());
            assertEquals(bic, cell.bic(), 1e-12 * Math.abs(bic), where);
            assertEquals(cell.loglik(), cell.loglikOfParameters(), 1e-9 * Math.abs(cell.loglik()), where);
            assertParametersHaveTheirShapes(cell, cell.g(), data.d(), where);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris", "wine"})
    void tablesHoldEveryModelForGOneToFive(String dataset) {
        Table table = MclustReference.me(dataset);
        assertEquals(MclustReference.MODELS.size() * 5, table.cells().size());
        for (String model : MclustReference.MODELS) {
            for (int g = 1; g <= 5; g++) {
                assertEquals(model, table.cell(model, g).model());
            }
        }
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
