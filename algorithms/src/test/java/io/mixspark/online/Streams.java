package io.mixspark.online;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.TestMixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** Streams of batches drawn from known mixtures, and what tests measure on them. */
final class Streams {

    private Streams() {
    }

    /** A mixture of k components in d dimensions whose means are at least {@code gap} apart. */
    static Mixture separated(Random random, CovarianceType type, int k, int d, double gap) {
        while (true) {
            Mixture m = TestMixtures.mixture(random, type, k, d, gap);
            if (minimumGap(m) >= gap) {
                return m;
            }
        }
    }

    private static double minimumGap(Mixture m) {
        double min = Double.POSITIVE_INFINITY;
        for (int a = 0; a < m.k(); a++) {
            for (int b = 0; b < a; b++) {
                double s = 0;
                for (int j = 0; j < m.d(); j++) {
                    double diff = m.mean(a)[j] - m.mean(b)[j];
                    s += diff * diff;
                }
                min = Math.min(min, Math.sqrt(s));
            }
        }
        return min;
    }

    /** The same mixture with every mean moved by {@code shift}. */
    static Mixture shifted(Mixture m, double[] shift) {
        double[][] means = m.means();
        double[][][] covariances = new double[m.k()][][];
        for (int c = 0; c < m.k(); c++) {
            for (int a = 0; a < m.d(); a++) {
                means[c][a] += shift[a];
            }
            covariances[c] = m.covarianceMatrix(c);
        }
        return Mixture.fromFullCovariances(m.covarianceType(), m.weights(), means, covariances);
    }

    /** {@code batches} batches of {@code rows} rows each from the mixture, as blocks. */
    static List<DataBlock> draw(Mixture m, int batches, int rows, Random random) {
        List<DataBlock> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            out.add(DataBlock.of(m.sample(rows, random, null), m.d()));
        }
        return out;
    }

    /** Runs online EM over the batches (ids 0, 1, ...), each batch as one block. */
    static OnlineEmState run(List<DataBlock> batches, OnlineEmOptions options) {
        return run(OnlineEmState.empty(), batches, options, s -> { });
    }

    /** Continues a state over batches, with ids following its last, telling each new state to {@code after}. */
    static OnlineEmState run(OnlineEmState state, List<DataBlock> batches, OnlineEmOptions options,
                             Consumer<OnlineEmState> after) {
        int d = batches.get(0).d();
        for (DataBlock batch : batches) {
            BatchSummary summary = OnlineEm.summarise(state, List.of(batch), d, options);
            state = OnlineEm.update(state, summary, state.lastBatchId() + 1, options);
            after.accept(state);
        }
        return state;
    }

    /** All the batches' rows as one block data set. */
    static InMemoryBlockData pooled(List<DataBlock> batches) {
        return new InMemoryBlockData(batches, batches.get(0).d());
    }

    /** Mean log-likelihood per row of the model on the batches. */
    static double meanLogLikelihood(Mixture model, List<DataBlock> batches) {
        return pooled(batches).aggregate(new ExpectationPass(model, "java")).meanLogLikelihood();
    }

    /** The mean log-likelihood of batch EM fitted on the batches (two restarts, tight tolerance). */
    static double batchEm(List<DataBlock> batches, int k, CovarianceType type, long seed) {
        EmOptions options = EmOptions.builder(k, type).seed(seed).nInit(2).tol(1e-6).maxIter(500).kernel("java")
                .build();
        return meanLogLikelihood(EmFitter.fit(pooled(batches), options, FitListener.NONE).model(), batches);
    }
}
