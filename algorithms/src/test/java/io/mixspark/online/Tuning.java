package io.mixspark.online;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import java.util.List;

/**
 * How the defaults of {@link OnlineEmOptions} were chosen: the gaps to batch EM on the scenarios'
 * tuning seeds (1 to 3, or the range given as arguments), for a grid of step settings. The tests
 * assert on other seeds. Run with {@code java -cp ... io.mixspark.online.Tuning}; not a test.
 */
final class Tuning {

    private Tuning() {
    }

    public static void main(String[] args) {
        double[][] grid = {{0.55, 2}, {0.6, 0}, {0.6, 2}, {0.6, 10}, {0.75, 2}, {0.9, 2}, {1.0, 2}};
        long from = args.length > 0 ? Long.parseLong(args[0]) : 1;
        long to = args.length > 1 ? Long.parseLong(args[1]) : 3;
        for (long seed = from; seed <= to; seed++) {
            List<DataBlock> stationary = Scenarios.stationary(seed);
            double batch = Streams.batchEm(stationary, Scenarios.K, CovarianceType.FULL, seed);
            for (double[] g : grid) {
                OnlineEmOptions options = OnlineEmOptions.builder(Scenarios.K, CovarianceType.FULL).stepExponent(g[0])
                        .stepOffset(g[1]).seed(seed).kernel("java").build();
                double online = Streams.meanLogLikelihood(Streams.run(stationary, options).model(), stationary);
                System.out.printf("stationary seed %d alpha %.2f t0 %.0f: gap %.5f%n", seed, g[0], g[1], batch - online);
            }
            List<DataBlock> drifting = Scenarios.drifting(seed);
            List<DataBlock> last = drifting.subList(20, 40);
            double lastBatch = Streams.batchEm(last, Scenarios.K, CovarianceType.FULL, seed);
            for (double decay : new double[] {0, 0.1, 0.2, 0.3, 0.5}) {
                OnlineEmOptions options = OnlineEmOptions.builder(Scenarios.K, CovarianceType.FULL).decay(decay)
                        .seed(seed).kernel("java").build();
                double online = Streams.meanLogLikelihood(Streams.run(drifting, options).model(), last);
                System.out.printf("drifting seed %d decay %.2f: gap %.5f%n", seed, decay, lastBatch - online);
            }
            List<DataBlock> growing = Scenarios.growing(seed);
            for (double share : new double[] {0.02, 0.05, 0.1}) {
                OnlineEmOptions options = OnlineEmOptions.builder(2, CovarianceType.FULL).maxK(8)
                        .minNovelShare(share).seed(seed).kernel("java").build();
                OnlineEmState end = Streams.run(OnlineEmState.empty(), growing, options,
                        s -> { });
                System.out.printf("growing seed %d minNovelShare %.2f: k %d%n", seed, share, end.k());
            }
        }
    }
}
