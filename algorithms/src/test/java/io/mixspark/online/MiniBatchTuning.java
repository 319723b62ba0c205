package io.mixspark.online;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.Fixtures;

/**
 * Mini-batch EM against batch EM from sklearn's starts on the foundation data sets, for a few batch
 * sizes, step settings (alpha, t0) and passes, each with 2 finishing iterations: the gap (batch EM's
 * mean log-likelihood minus mini-batch's; negative when mini-batch ends higher). Not a test.
 */
final class MiniBatchTuning {

    public static void main(String[] args) {
        double[][] grid = {{30, 0.6, 2, 3}, {10, 0.6, 2, 3}, {10, 0.6, 2, 30}, {30, 0.6, 2, 30}};
        for (String name : new String[] {"iris", "wine", "breast_cancer"}) {
            for (CovarianceType type : CovarianceType.values()) {
                Fixtures.Dataset dataset = Fixtures.dataset(name);
                JsonNode reference = Fixtures.json("reference/em_" + name + ".json");
                Mixture start = Fixtures.mixture(reference.get("cases").get(type.id()).get("initial"), type);
                double regCovar = reference.get("regCovar").asDouble();
                InMemoryBlockData data = InMemoryBlockData.of(dataset.values(), null, dataset.d(), 10);
                EmOptions batchOptions = EmOptions.builder(start.k(), type).initialModel(start).tol(1e-7)
                        .maxIter(2000).regCovar(regCovar).kernel("java").build();
                var batch = EmFitter.fit(data, batchOptions, FitListener.NONE);
                StringBuilder line = new StringBuilder(name + " " + type + " batchIters " + batch.iterations());
                for (double[] g : grid) {
                    EmOptions options = EmOptions.builder(start.k(), type).regCovar(regCovar).seed(5).kernel("java")
                            .build();
                    double gap = batch.meanLogLikelihood() - MiniBatchEm.run(data, start, options,
                            new MiniBatchOptions((long) g[0], (int) g[3], 2, g[1], g[2]), FitListener.NONE).meanLogLikelihood();
                    line.append(String.format(" | B%.0f a%.2f t%.0f p%.0f: %.4f", g[0], g[1], g[2], g[3], gap));
                }
                System.out.println(line);
            }
        }
    }
}
