package io.mixspark.federated;

import static io.mixspark.federated.MixtureAssertions.assertMixtureClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.InMemorySiteData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Shared components with per-site weights, on 8 Dirichlet(0.5) sites of the five-component truth. */
class PersonalizedEmTest {

    /** Allowed error against the true site weights: room for the sampling noise of a site's rows. */
    private static final double TRUE_WEIGHT_ERROR = 0.035;
    /** Allowed error against each site's empirical component proportions (measured: docs/FEDERATED.md). */
    private static final double EMPIRICAL_WEIGHT_ERROR = 0.01;

    private static final FederatedOptions OPTIONS = FederatedOptions.defaults().withKernel("java").withTol(1e-6);

    private static InMemorySiteData withExtraSite(Scenarios.Scenario sc, double shift, long seed) {
        Map<String, InMemoryBlockData> sites = new LinkedHashMap<>();
        for (String s : sc.data().sites()) {
            sites.put(s, (InMemoryBlockData) sc.data().site(s));
        }
        Mixture truth = sc.truth();
        double[] v = Scenarios.sample(truth, truth.weights(), 2000, new Random(seed), null);
        for (int i = 0; i < v.length; i++) {
            v[i] += shift;
        }
        sites.put("extra", InMemoryBlockData.of(v, truth.d()));
        return new InMemorySiteData(sites);
    }

    @Test
    void recoversEachSitesWeights() {
        Mixture truth = Scenarios.fiveComponents(2);
        Scenarios.Scenario sc = Scenarios.skewed(truth, 8, 0.5, 1500, 2500, 0.1, 2);
        PersonalizedEm.Result res = PersonalizedEm.run(sc.data(), truth, OPTIONS, FitListener.NONE);
        assertTrue(res.converged());
        int[] match = MixtureAssertions.matchByMeans(truth, res.shared());
        for (String s : sc.data().sites()) {
            double[] trueW = sc.siteWeights().get(s);
            int[] labels = sc.siteLabels().get(s);
            double[] empirical = new double[5];
            for (int l : labels) {
                empirical[l] += 1.0 / labels.length;
            }
            double[] w = res.siteWeights().get(s);
            assertEquals(1.0, java.util.Arrays.stream(w).sum(), 1e-12, s + " weights sum to 1");
            for (int c = 0; c < 5; c++) {
                assertEquals(trueW[c], w[match[c]], TRUE_WEIGHT_ERROR, s + " true weight " + c);
                assertEquals(empirical[c], w[match[c]], EMPIRICAL_WEIGHT_ERROR, s + " empirical weight " + c);
            }
            assertEquals(w[match[0]], res.siteModel(s).weight(match[0]), 1e-15);
        }
        for (int t = 0; t < 5; t++) {
            assertTrue(MixtureAssertions.distance(truth.mean(t), res.shared().mean(match[t])) < 0.1, "shared mean " + t);
        }
    }

    @Test
    void aShiftedSiteGetsAClearlyLowerNoveltyScore() {
        Mixture truth = Scenarios.fiveComponents(1);
        Scenarios.Scenario sc = Scenarios.skewed(truth, 8, 0.5, 1500, 2500, 0.1, 1);
        PersonalizedEm.Result plain = PersonalizedEm.run(withExtraSite(sc, 0, 101), truth, OPTIONS, FitListener.NONE);
        PersonalizedEm.Result shifted = PersonalizedEm.run(withExtraSite(sc, 3, 101), truth, OPTIONS,
                FitListener.NONE);
        double others = sc.data().sites().stream().mapToDouble(s -> shifted.novelty().get(s)).min().orElseThrow();
        double score = shifted.novelty().get("extra");
        assertTrue(score < others - 0.5, "shifted site " + score + " vs lowest other site " + others);
        assertTrue(score < plain.novelty().get("extra") - 0.8,
                "the same rows score " + plain.novelty().get("extra") + " unshifted and " + score + " shifted");
    }

    @Test
    void withOneSiteItIsCentralisedEm() {
        Mixture truth = Scenarios.fiveComponents(3);
        double[] values = truth.sample(4000, new Random(3), null);
        InMemoryBlockData rows = InMemoryBlockData.of(values, null, 3, 700);
        Map<String, InMemoryBlockData> one = new LinkedHashMap<>();
        one.put("only", rows);
        Mixture start = new Mixture(CovarianceType.FULL, new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, truth.means(),
                new double[][] {identity(), identity(), identity(), identity(), identity()});
        EmOptions options = EmOptions.builder(5, CovarianceType.FULL).kernel("java").tol(1e-7).initialModel(start)
                .build();
        EmResult central = EmFitter.run(rows, start, options, "java", 0, FitListener.NONE);
        PersonalizedEm.Result res = PersonalizedEm.run(new InMemorySiteData(one), start,
                FederatedOptions.from(options), FitListener.NONE);
        assertMixtureClose(central.model(), res.siteModel("only"), 1e-10, "one site");
        assertEquals(central.meanLogLikelihood(), res.novelty().get("only"), 1e-10);
        assertEquals(central.iterations(), res.rounds().size());
    }

    @Test
    void theLikelihoodNeverDecreases() {
        Mixture truth = Scenarios.fiveComponents(4);
        Scenarios.Scenario sc = Scenarios.skewed(truth, 6, 0.3, 800, 1200, 0.1, 4);
        Mixture start = new Mixture(CovarianceType.FULL, new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, shifted(truth, 0.7),
                new double[][] {identity(), identity(), identity(), identity(), identity()});
        PersonalizedEm.Result res = PersonalizedEm.run(sc.data(), start, OPTIONS.withTol(0).withMaxRounds(40),
                FitListener.NONE);
        List<RoundRecord> rounds = res.rounds();
        assertEquals(41, rounds.size());
        for (int i = 1; i < rounds.size(); i++) {
            assertTrue(rounds.get(i).meanLogLikelihood() >= rounds.get(i - 1).meanLogLikelihood() - 1e-9,
                    "round " + (i + 1) + " decreased the log-likelihood");
        }
        assertEquals(res.meanLogLikelihood(), rounds.get(rounds.size() - 1).meanLogLikelihood(), 1e-12);
    }

    private static double[][] shifted(Mixture truth, double by) {
        double[][] m = truth.means();
        for (double[] row : m) {
            row[0] += by;
        }
        return m;
    }

    private static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }
}
