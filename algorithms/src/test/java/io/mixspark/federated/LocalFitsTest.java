package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.InMemorySiteData;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalFitsTest {

    /** Site "two" holds only components 0 and 1; site "five" all five; site "empty" nothing. */
    private static InMemorySiteData sites() {
        Mixture truth = Scenarios.fiveComponents(6);
        Random r = new Random(6);
        Map<String, InMemoryBlockData> data = new LinkedHashMap<>();
        data.put("two", InMemoryBlockData.of(Scenarios.sample(truth, new double[] {0.5, 0.5, 0, 0, 0}, 1500, r, null), 3));
        data.put("five", InMemoryBlockData.of(Scenarios.sample(truth, truth.weights(), 2000, r, null), 3));
        data.put("empty", new InMemoryBlockData(List.of(), 3));
        return new InMemorySiteData(data);
    }

    @Test
    void bicPicksEachSitesOwnNumberOfComponents() {
        List<String> warnings = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        List<LocalFit> fits = LocalFits.fit(sites(), LocalFitOptions.byBic(1, 7, CovarianceType.FULL)
                .withKernel("java"), listener).fits();
        assertEquals(2, fits.size(), "the empty site is skipped");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'empty'")), warnings.toString());
        assertEquals("two", fits.get(0).site());
        assertEquals(2, fits.get(0).result().model().k());
        assertEquals(1500, fits.get(0).rows());
        assertEquals(1500.0, fits.get(0).weight());
        assertEquals(5, fits.get(1).result().model().k());
    }

    @Test
    void fixedKFitsThatManyComponentsEverywhere() {
        List<LocalFit> fits = LocalFits.fit(sites(), LocalFitOptions.fixed(5, CovarianceType.DIAG)
                .withKernel("java"), FitListener.NONE).fits();
        for (LocalFit fit : fits) {
            assertEquals(5, fit.result().model().k());
            assertEquals(CovarianceType.DIAG, fit.result().model().covarianceType());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalFitOptions.byBic(3, 2, CovarianceType.FULL));
        assertEquals("kMax must be >= kMin (3), got 2", e.getMessage());
    }

    @Test
    void overfitFitsFourTimesKUnlessASiteHasTooFewRows() {
        assertEquals(20, LocalFitOptions.overfitK(5));
        LocalFitOptions options = LocalFitOptions.overfit(5, CovarianceType.FULL).withKernel("java");
        assertEquals(20, options.kMin());
        assertTrue(options.fixedK());
        List<LocalFit> fits = LocalFits.fit(sites(), options, FitListener.NONE).fits();
        assertEquals(List.of(20, 20), fits.stream().map(f -> f.result().model().k()).toList());
        // 30 rows in 3-D support floor(30 / 4) = 7 components with d + 1 rows each on average.
        Mixture truth = Scenarios.fiveComponents(6);
        InMemoryBlockData small = InMemoryBlockData.of(Scenarios.sample(truth, truth.weights(), 30, new Random(3), null), 3);
        LocalFit fit = LocalFits.fitSite("small", small, options, FitListener.NONE);
        assertEquals(7, fit.result().model().k());
        assertEquals(30, fit.rows());
        assertEquals(1, LocalFits.fixedK(20, 3, 3));
        assertEquals(20, LocalFits.fixedK(20, 80, 3));
        assertEquals(19, LocalFits.fixedK(20, 79, 3));
    }

    @Test
    void aSiteWhoseFitFailsIsDroppedAndListed() {
        Map<String, InMemoryBlockData> data = new LinkedHashMap<>();
        Mixture truth = Scenarios.fiveComponents(6);
        data.put("five", InMemoryBlockData.of(Scenarios.sample(truth, truth.weights(), 500, new Random(4), null), 3));
        double[] same = new double[60 * 3];
        java.util.Arrays.fill(same, 1.5);
        data.put("same", InMemoryBlockData.of(same, 3));
        List<String> warnings = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };

        LocalFits.Result result = LocalFits.fit(new InMemorySiteData(data),
                LocalFitOptions.fixed(5, CovarianceType.DIAG).withKernel("java"), listener);

        assertEquals(List.of("five"), result.fits().stream().map(LocalFit::site).toList());
        assertEquals(1, result.dropped().size());
        LocalFits.DroppedSite dropped = result.dropped().get(0);
        assertEquals("same", dropped.site());
        assertEquals(60, dropped.rows());
        assertTrue(dropped.reason().contains("distinct rows"), dropped.reason());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("site 'same' could not be fitted and was dropped")),
                warnings.toString());
    }

    @Test
    void noSiteThatCanBeFittedIsAPlainFailure() {
        double[] same = new double[60 * 3];
        InMemorySiteData data = new InMemorySiteData(Map.of("same", InMemoryBlockData.of(same, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalFits.fit(data,
                LocalFitOptions.fixed(5, CovarianceType.DIAG).withKernel("java"), FitListener.NONE));
        assertTrue(e.getMessage().startsWith("no site could be fitted: [same: "), e.getMessage());
    }
}
