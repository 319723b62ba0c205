package io.mixspark.online;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.Fixtures;

/**
 * Mini-batch EM against batch EM from scikit-learn's starts on the foundation data sets, on the tuning
 * block-order seeds 1 to 5 (the tests assert on 11 to 20): per case batch EM's iterations to tol 1e-7
 * and how far its default tol stops short of that, then for each setting the largest gap over the
 * seeds (batch EM's mean log-likelihood with the same options, default tol, minus mini-batch's;
 * negative when mini-batch ends higher) and the finishing iterations it took at most. Not a test.
 */
final class MiniBatchTuning {

    public static void main(String[] args) {
        // {rows per step (below 1: that share of the table), passes, alpha, t0}
        double[][] settings = {{MiniBatchOptions.DEFAULT_BATCH_ROWS, MiniBatchOptions.DEFAULT_PASSES, 0.51, 0},
            {0.5, 3, 0.51, 0}, {1 / 3.0, 3, 0.51, 0}, {0.2, 3, 0.51, 0}, {0.2, 3, 0.6, 2}, {30, 3, 0.51, 0},
            {30, 3, 0.6, 2}};
        for (String name : new String[] {"iris", "wine", "breast_cancer"}) {
            for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG,
                CovarianceType.SPHERICAL, CovarianceType.TIED}) {
                Fixtures.Dataset dataset = Fixtures.dataset(name);
                JsonNode reference = Fixtures.json("reference/em_" + name + ".json");
                Mixture start = Fixtures.mixture(reference.get("cases").get(type.alias()).get("initial"), type);
                double regCovar = reference.get("regCovar").asDouble();
                InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
                EmOptions batchOptions = EmOptions.builder(start.k(), type).initialModel(start).tol(1e-7)
                        .maxIter(2000).regCovar(regCovar).kernel("java").build();
                EmResult batch = EmFitter.fit(data, batchOptions, FitListener.NONE);
                EmResult batchDefault = EmFitter.fit(data, batchOptions.toBuilder()
                        .tol(EmOptions.DEFAULT_TOL).maxIter(EmOptions.DEFAULT_MAX_ITER).build(), FitListener.NONE);
                StringBuilder line = new StringBuilder(String.format("%s %s batch %d its, default-tol gap %.4f",
                        name, type, batch.iterations(), batch.meanLogLikelihood() - batchDefault.meanLogLikelihood()));
                for (double[] g : settings) {
                    long rows = g[0] >= 1 ? (long) g[0] : (long) Math.ceil(g[0] * dataset.values().length
                            / dataset.d());
                    MiniBatchOptions s = new MiniBatchOptions(rows, (int) g[1],
                            MiniBatchOptions.DEFAULT_FINISH_ITERATIONS, g[2], g[3]);
                    double worst = Double.NEGATIVE_INFINITY;
                    int finishing = 0;
                    for (long seed = 1; seed <= 5; seed++) {
                        EmOptions options = EmOptions.builder(start.k(), type).regCovar(regCovar).seed(seed)
                                .kernel("java").build();
                        EmResult mini = MiniBatchEm.run(data, start, options, s, FitListener.NONE);
                        worst = Math.max(worst, batchDefault.meanLogLikelihood() - mini.meanLogLikelihood());
                        finishing = Math.max(finishing, mini.history().size() - s.passes());
                    }
                    line.append(String.format(" | B%d p%d a%.2f t%.0f: %.4f (%d)", s.batchRows(), s.passes(),
                            s.stepExponent(), s.stepOffset(), worst, finishing));
                }
                System.out.println(line);
            }
        }
    }
}
