package io.mixspark.online;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The streams the online-EM tests run on, each drawn from a seed. */
final class Scenarios {

    static final int BATCHES = 40;
    static final int ROWS = 5_000;
    static final int D = 3;
    static final int K = 3;

    private Scenarios() {
    }

    /** 40 batches of 5,000 rows from one mixture of 3 full-covariance components. */
    static List<DataBlock> stationary(long seed) {
        Random random = new Random(seed);
        return Streams.draw(Streams.separated(random, CovarianceType.FULL, K, D, 6), BATCHES, ROWS, random);
    }

    /** As {@link #stationary}, but from batch 20 on every mean has moved by 3 along the diagonal. */
    static List<DataBlock> drifting(long seed) {
        Random random = new Random(seed);
        Mixture before = Streams.separated(random, CovarianceType.FULL, K, D, 6);
        double step = 3 / Math.sqrt(D);
        Mixture after = Streams.shifted(before, new double[] {step, step, step});
        List<DataBlock> out = new ArrayList<>(Streams.draw(before, BATCHES / 2, ROWS, random));
        out.addAll(Streams.draw(after, BATCHES / 2, ROWS, random));
        return out;
    }

    /**
     * 2 components for 20 batches, then the same 2 and two new ones (each with a quarter of the
     * rows) 12 units away from them.
     */
    static List<DataBlock> growing(long seed) {
        Random random = new Random(seed);
        Mixture all = Streams.separated(random, CovarianceType.FULL, 4, D, 12);
        Mixture first = Mixture.fromFullCovariances(CovarianceType.FULL, new double[] {0.5, 0.5},
                new double[][] {all.mean(0), all.mean(1)},
                new double[][][] {all.covarianceMatrix(0), all.covarianceMatrix(1)});
        Mixture later = Mixture.fromFullCovariances(CovarianceType.FULL, new double[] {0.25, 0.25, 0.25, 0.25},
                all.means(), new double[][][] {all.covarianceMatrix(0), all.covarianceMatrix(1),
                        all.covarianceMatrix(2), all.covarianceMatrix(3)});
        List<DataBlock> out = new ArrayList<>(Streams.draw(first, BATCHES / 2, ROWS, random));
        out.addAll(Streams.draw(later, BATCHES / 2, ROWS, random));
        return out;
    }
}
