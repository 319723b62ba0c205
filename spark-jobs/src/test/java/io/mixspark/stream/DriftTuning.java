package io.mixspark.stream;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.online.BatchSummary;
import io.mixspark.online.OnlineEm;
import io.mixspark.online.OnlineEmOptions;
import io.mixspark.online.OnlineEmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How the drift case of {@code StreamCommandTest} chooses its {@code --decay}: the stream test's
 * scenario (40 files of 500 rows drawn as {@link StreamFiles#write} draws them, four files a batch,
 * the mixture moved by (2, 2) after the 20th), run in memory with online EM on tuning data seeds
 * (101 to 110, or the range given), for a few decays and the decreasing step: per decay the gap to
 * a batch fit on the last 20 files, scored on them. The test asserts on another seed. Not a test.
 */
final class DriftTuning {

    public static void main(String[] args) {
        long from = args.length > 0 ? Long.parseLong(args[0]) : 101;
        long to = args.length > 1 ? Long.parseLong(args[1]) : 110;
        double[] decays = {0, 0.3, 0.45, 0.6, 0.75, 0.9};
        for (long seed = from; seed <= to; seed++) {
            List<DataBlock> files = new ArrayList<>();
            for (int f = 0; f < 40; f++) {
                Mixture m = StreamFiles.threeClusters(f < 20 ? 0 : 2);
                files.add(DataBlock.of(m.sample(500, new Random(seed * 1000 + f), new int[500]), 2));
            }
            InMemoryBlockData last = new InMemoryBlockData(files.subList(20, 40), 2);
            Mixture batch = EmFitter.fit(last, EmOptions.builder(3, CovarianceType.FULL).seed(1).kernel("java")
                    .build(), FitListener.NONE).model();
            double target = StreamFiles.meanLogLikelihood(batch, rows(files.subList(20, 40)));
            StringBuilder line = new StringBuilder("seed " + seed);
            for (double decay : decays) {
                OnlineEmOptions.Builder b = OnlineEmOptions.builder(3, CovarianceType.FULL).seed(3).kernel("java");
                if (decay > 0) {
                    b.decay(decay);
                }
                OnlineEmOptions options = b.build();
                OnlineEmState state = OnlineEmState.empty();
                for (int batchId = 0; batchId < 10; batchId++) {
                    List<DataBlock> blocks = files.subList(4 * batchId, 4 * batchId + 4);
                    BatchSummary summary = OnlineEm.summarise(state, blocks, 2, options);
                    state = OnlineEm.update(state, summary, batchId, options);
                }
                double gap = target - StreamFiles.meanLogLikelihood(state.model(), rows(files.subList(20, 40)));
                line.append(String.format(" | decay %.2f: %.4f", decay, gap));
            }
            System.out.println(line);
        }
    }

    private static double[] rows(List<DataBlock> blocks) {
        double[] out = new double[blocks.size() * 500 * 2];
        int at = 0;
        for (DataBlock b : blocks) {
            double[] v = b.values();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }
}
