package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.InMemorySiteData;
import io.mixspark.data.RowCounts;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One-shot federated fits over many sites too small for a local fit of k components. */
class SmallSitesTest {

    private static final int SITES = 1000;
    private static final int ROWS_PER_SITE = 3;

    /** Two components in 2-D, 6 apart. */
    private static Mixture truth() {
        return new Mixture(CovarianceType.FULL, new double[] {0.6, 0.4}, new double[][] {{0, 0}, {6, 1}},
                new double[][] {{1, 0.3, 0.3, 0.8}, {0.7, -0.2, -0.2, 1.2}});
    }

    private static FederatedFit.Settings oneShot(int k) {
        return new FederatedFit.Settings(FederatedFit.Mode.ONE_SHOT, k, CovarianceType.FULL,
                LocalFitOptions.overfitK(k), LocalFitOptions.overfitK(k), 0, EmOptions.DEFAULT_TOL, 1,
                EmOptions.DEFAULT_MAX_ITER, 1, EmOptions.DEFAULT_REG_COVAR, "java", null, null);
    }

    @Test
    void aThousandSitesOfThreeRowsGiveTheModelOfAPlainFit() {
        Mixture truth = truth();
        int[] labels = new int[SITES * ROWS_PER_SITE];
        double[] values = truth.sample(labels.length, new Random(5), labels);
        String[] siteOfRow = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            siteOfRow[i] = "s" + i / ROWS_PER_SITE;
        }
        InMemorySiteData data = InMemorySiteData.split(values, 2, siteOfRow, 64);
        InMemoryBlockData pooled = data.pooled();

        List<String> warnings = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        FederatedFit.Outcome outcome = FederatedFit.run(data, pooled, oneShot(2), LocalFits::fit, listener);

        EmResult plain = EmFitter.fit(pooled, EmOptions.builder(2, CovarianceType.FULL).kernel("java").seed(1).build(),
                FitListener.NONE);
        double gap = plain.meanLogLikelihood() - outcome.fit().meanLogLikelihood();
        assertTrue(gap < 0.01, "federated mean log-likelihood " + outcome.fit().meanLogLikelihood()
                + ", plain fit " + plain.meanLogLikelihood());
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, outcome.model(), DataBlock.of(values, 2));
        double ari = ClusteringMetrics.adjustedRandIndex(labels, predicted);
        assertTrue(ari > 0.95, "adjusted Rand index " + ari);
        assertEquals(2, outcome.model().k());

        FederatedFit.SmallSites small = outcome.smallSites();
        assertEquals(SITES, small.count());
        assertEquals(SITES * ROWS_PER_SITE, small.rows());
        assertEquals(6, small.minRows(), "k (d + 1) = 2 x 3");
        assertEquals(24, small.targetRows(), "4k (d + 1): the default local k is fully supported");
        assertEquals(SITES * ROWS_PER_SITE / 24, small.pseudoSites().size());
        assertEquals(FederatedFit.SmallSites.POOLED, small.action());
        assertEquals(small.pseudoSites().size(), outcome.localFits().size());
        assertEquals(1, warnings.stream().filter(w -> w.contains("1000 of 1000 sites have fewer than k (d + 1) = 6 "
                + "rows")).count(), warnings.toString());
        assertTrue(outcome.rounds().isEmpty(), "one-shot alone");
        assertFalse(outcome.partial());
    }

    @Test
    void smallSitesArePooledInSiteOrderIntoPseudoSitesOfTheTargetSize() {
        Map<String, RowCounts> rows = new LinkedHashMap<>();
        rows.put("a", new RowCounts(6, 6));
        rows.put("b", new RowCounts(100, 100));
        assertEquals(List.of("a", "b"), SiteGroups.pooling(rows, 6, 24).units(), "no site below k (d + 1) = 6");
        rows.put("c", new RowCounts(5, 5));
        rows.put("d", new RowCounts(4, 4));
        rows.put("e", new RowCounts(0, 0));
        rows.put("f", new RowCounts(3, 3));
        rows.put("g", new RowCounts(1, 1));
        rows.put("h", new RowCounts(5, 5));
        SiteGroups groups = SiteGroups.pooling(rows, 6, 8);
        assertEquals(5, groups.smallSites());
        assertEquals(18, groups.smallRows());
        assertEquals(List.of("a", "b", "e", "pooled:c..d", "pooled:f..h"), groups.units());
        assertEquals(List.of("c", "d"), groups.members().get("pooled:c..d"));
        assertTrue(groups.isPseudoSite("pooled:f..h"));
        assertFalse(groups.isPseudoSite("a"));
        assertEquals("pooled:f..h", groups.unitOfSite().get("g"));
        // Rows left below the target join the last pseudo-site.
        assertEquals(List.of("pooled:c..d", "pooled:f..h"), SiteGroups.pooling(rows, 6, 9).units().subList(3, 5));
        assertEquals(List.of("c", "d", "f", "g", "h"), SiteGroups.pooling(rows, 6, 10).members().get("pooled:c..h"));
        assertEquals(List.of("c", "d", "f", "g", "h"), SiteGroups.pooling(rows, 6, 100).members().get("pooled:c..h"));
    }
}
