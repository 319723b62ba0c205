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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Federated EM is centralised EM: the same mixture whatever the split, and its communication. */
class FederatedEmTest {

    private static final double SAME = 1e-10;

    /** Weighted rows from the five-component truth. */
    record Rows(double[] values, double[] weights, int d) {
        int n() {
            return weights.length;
        }
    }

    private static Rows rows(int n, long seed) {
        Mixture truth = Scenarios.fiveComponents(seed);
        Random random = new Random(seed);
        double[] values = truth.sample(n, random, null);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 0.25 + 1.5 * random.nextDouble();
        }
        return new Rows(values, weights, truth.d());
    }

    /**
     * Rows dealt to sites at random with very uneven shares (one site gets a handful of rows when
     * there are several), each site with its own block size.
     */
    private static InMemorySiteData unevenSplit(Rows rows, int sites, long seed) {
        Random random = new Random(seed);
        double[] share = new double[sites];
        double total = 0;
        for (int s = 0; s < sites; s++) {
            share[s] = s == 0 && sites > 1 ? 0.001 : Math.pow(random.nextDouble() + 0.05, 3);
            total += share[s];
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < rows.n(); i++) {
            double u = random.nextDouble() * total;
            int s = 0;
            while (s < sites - 1 && u >= share[s]) {
                u -= share[s];
                s++;
            }
            members.get(s).add(i);
        }
        Map<String, InMemoryBlockData> data = new LinkedHashMap<>();
        int d = rows.d();
        for (int s = sites - 1; s >= 0; s--) {
            List<Integer> idx = members.get(s);
            double[] v = new double[idx.size() * d];
            double[] w = new double[idx.size()];
            for (int j = 0; j < idx.size(); j++) {
                System.arraycopy(rows.values(), idx.get(j) * d, v, j * d, d);
                w[j] = rows.weights()[idx.get(j)];
            }
            data.put(Scenarios.name(s), InMemoryBlockData.of(v, w, d, 37 + 101 * s));
        }
        return new InMemorySiteData(data);
    }

    /** A poor start: every mean off by one unit, unit covariances, uniform weights. */
    private static Mixture roughStart(CovarianceType type, int k, int d, long seed) {
        Mixture truth = Scenarios.fiveComponents(seed);
        double[] w = new double[k];
        double[][] means = new double[k][];
        double[][][] covs = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            w[c] = 1.0 / k;
            means[c] = truth.mean(c);
            means[c][c % d] += 1.0;
            for (int a = 0; a < d; a++) {
                covs[c][a][a] = 1.0;
            }
        }
        return Mixture.fromFullCovariances(type, w, means, covs);
    }

    @ParameterizedTest(name = "{0} sites")
    @ValueSource(ints = {1, 3, 7})
    void equalsCentralisedEmWhateverTheSplit(int sites) {
        Rows rows = rows(6000, 5);
        Mixture start = roughStart(CovarianceType.FULL, 5, rows.d(), 5);
        EmOptions options = EmOptions.builder(5, CovarianceType.FULL).kernel("java").tol(1e-7).maxIter(300)
                .initialModel(start).build();
        EmResult central = EmFitter.run(InMemoryBlockData.of(rows.values(), rows.weights(), rows.d(), 4096), start,
                options, "java", 0, FitListener.NONE);
        InMemorySiteData data = unevenSplit(rows, sites, 17 + sites);
        FederatedEm.Result fed = FederatedEm.run(data, start, FederatedOptions.from(options), FitListener.NONE);

        assertTrue(central.converged() && central.iterations() > 10,
                "the comparison should cover a real fit, got " + central.iterations() + " iterations");
        assertEquals(central.iterations(), fed.fit().iterations(), "iterations");
        assertEquals(central.converged(), fed.fit().converged(), "converged");
        assertMixtureClose(central.model(), fed.model(), SAME, sites + " sites");
        assertEquals(central.logLikelihood(), fed.fit().logLikelihood(), SAME * Math.abs(central.logLikelihood()));
        assertEquals(central.totalWeight(), fed.fit().totalWeight(), SAME * central.totalWeight());
        assertEquals(central.rows(), fed.fit().rows());
        assertEquals(central.bic(), fed.fit().bic(), SAME * Math.abs(central.bic()));
        for (int j = 0; j < central.iterations(); j++) {
            assertEquals(central.history().get(j).meanLogLikelihood(), fed.rounds().get(j).meanLogLikelihood(),
                    SAME, "round " + (j + 1));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void equalsCentralisedEmForEveryCovarianceType(CovarianceType type) {
        Rows rows = rows(3000, 9);
        Mixture start = roughStart(type, 5, rows.d(), 9);
        EmOptions options = EmOptions.builder(5, type).kernel("java").tol(0).maxIter(25).initialModel(start).build();
        EmResult central = EmFitter.run(InMemoryBlockData.of(rows.values(), rows.weights(), rows.d(), 500), start,
                options, "java", 0, FitListener.NONE);
        FederatedEm.Result fed = FederatedEm.run(unevenSplit(rows, 3, 4), start, FederatedOptions.from(options),
                FitListener.NONE);
        assertEquals(25, fed.fit().iterations());
        assertEquals(26, fed.rounds().size(), "25 rounds with an M-step and the final evaluation");
        assertMixtureClose(central.model(), fed.model(), SAME, type.id());
    }

    @Test
    void countsTheDoublesThatTravel() {
        Rows rows = rows(1200, 3);
        int sites = 4;
        Mixture start = roughStart(CovarianceType.FULL, 5, 3, 3);
        FederatedEm.Result fed = FederatedEm.run(unevenSplit(rows, sites, 8), start,
                FederatedOptions.defaults().withKernel("java").withMaxRounds(3).withTol(0), FitListener.NONE);
        // Down: 5 weights + 15 means + 5 x 6 covariance entries; up: 5 counts + 15 sums + 5 x 6 scatter
        // entries + log-likelihood, total weight and rows.
        long down = sites * 8L * (5 + 15 + 30);
        long up = sites * 8L * (5 + 15 + 30 + 3);
        assertEquals(4, fed.rounds().size());
        for (RoundRecord r : fed.rounds()) {
            assertEquals(down, r.bytesDown(), "round " + r.round());
            assertEquals(up, r.bytesUp(), "round " + r.round());
        }
        assertEquals(4 * (down + up), fed.totalBytes());
        Mixture diag = roughStart(CovarianceType.DIAG, 5, 3, 3);
        assertEquals(5 + 15 + 15, CommunicationCost.modelDoubles(diag));
        assertEquals(5 + 15 + 15 + 3, CommunicationCost.statisticsDoubles(5, 3, CovarianceType.DIAG));
        Mixture tied = roughStart(CovarianceType.TIED, 5, 3, 3);
        assertEquals(5 + 15 + 6, CommunicationCost.modelDoubles(tied));
    }
}
