package io.mixspark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.online.MiniBatchEm;
import io.mixspark.online.MiniBatchOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time to quality of mini-batch EM against batch EM: on rows drawn from a random mixture and cached
 * as blocks, both start from EM's own start (k-means++ and Lloyd, not timed), then the seconds each
 * needs until its model's mean log-likelihood on all rows is within {@code quality} of batch EM's
 * final one. Batch EM's model after j updates is known from iteration j + 1's E-step; mini-batch
 * EM's is scored every {@code --evaluate-every} steps and after its finishing iterations, in passes
 * whose time is taken out of its own.
 * benchmarks/time-to-quality.sh runs it; docs/PERFORMANCE.md has the numbers.
 */
@Command(name = "time-to-quality", mixinStandardHelpOptions = true,
        description = "Seconds until mini-batch EM and batch EM reach batch EM's final log-likelihood.")
public final class TimeToQuality implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--n", description = "Rows (default: ${DEFAULT-VALUE}).")
    long n = 10_000_000;
    @Option(names = "--d", description = "Features (default: ${DEFAULT-VALUE}).")
    int d = 16;
    @Option(names = "--k", description = "Components (default: ${DEFAULT-VALUE}).")
    int k = 16;
    @Option(names = "--separation", description = "Spread of the true means (default: ${DEFAULT-VALUE}).")
    double separation = 4.0;
    @Option(names = "--partitions", description = "Partitions of the cached blocks (default: ${DEFAULT-VALUE}).")
    int partitions = 20;
    @Option(names = "--block-size", description = "Rows per cached block (default: ${DEFAULT-VALUE}).")
    int blockSize = BlockPacker.DEFAULT_BLOCK_ROWS;
    @Option(names = "--batch-rows", description = "Mini-batch rows per step (default: ${DEFAULT-VALUE}).")
    long batchRows = MiniBatchOptions.DEFAULT_BATCH_ROWS;
    @Option(names = "--passes", description = "Mini-batch passes (default: ${DEFAULT-VALUE}).")
    int passes = 3;
    @Option(names = "--finish-iterations", description = "Mini-batch finishing EM iterations (default: ${DEFAULT-VALUE}).")
    int finishIterations = 1;
    @Option(names = "--step-exponent", description = "Mini-batch step exponent alpha (default: ${DEFAULT-VALUE}).")
    double stepExponent = MiniBatchOptions.DEFAULT_STEP_EXPONENT;
    @Option(names = "--step-offset", description = "Mini-batch step offset t0 (default: ${DEFAULT-VALUE}).")
    double stepOffset = MiniBatchOptions.DEFAULT_STEP_OFFSET;
    @Option(names = "--evaluate-every", description = "Score the mini-batch model every this many steps"
            + " (default: ${DEFAULT-VALUE}).")
    int evaluateEvery = 10;
    @Option(names = "--tol", description = "Batch EM's tolerance (default: ${DEFAULT-VALUE}).")
    double tol = 1e-4;
    @Option(names = "--max-iter", description = "Batch EM's iterations at most (default: ${DEFAULT-VALUE}).")
    int maxIter = 500;
    @Option(names = "--quality", description = "Nats per row from batch EM's final value (default: ${DEFAULT-VALUE}).")
    double quality = 0.01;
    @Option(names = "--seed", description = "Seed of the data and of both fits (default: ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--kernel", description = "Likelihood kernel (default: ${DEFAULT-VALUE}).")
    String kernel = Kernels.AUTO;
    @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master = "local[*]";

    /**
     * What one measurement found; times in seconds, NaN where the quality was not reached.
     *
     * @param miniCurve per scoring of the mini-batch model: the step (-1 after a finishing EM
     *                  iteration), the seconds of mini-batch EM until then and the mean log-likelihood
     */
    public record Result(long rows, int d, int k, String kernel, double batchFinal, int batchIterations,
                         double batchSeconds, double batchTimeToQuality, List<double[]> miniCurve,
                         double miniPassesSeconds, double miniFinal, double miniSeconds, double miniTimeToQuality) {

        /** Batch EM's time to quality over mini-batch's, or NaN. */
        public double speedup() {
            return batchTimeToQuality / miniTimeToQuality;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TimeToQuality()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SparkSession spark = SparkSession.builder().master(master).appName("mixspark time-to-quality")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Result r = measure(spark);
            System.out.printf(Locale.ROOT, "rows %d, d %d, k %d, kernel %s%n", r.rows(), r.d(), r.k(), r.kernel());
            System.out.printf(Locale.ROOT, "batch EM:      final %.6f after %d iterations in %.1f s; within %.3f"
                    + " of it after %.1f s%n", r.batchFinal(), r.batchIterations(), r.batchSeconds(), quality,
                    r.batchTimeToQuality());
            for (double[] point : r.miniCurve()) {
                System.out.printf(Locale.ROOT, "mini-batch EM %s: %.1f s, mean log-likelihood %.6f%n",
                        point[0] < 0 ? "after a finishing iteration" : "after step " + (long) point[0], point[1],
                        point[2]);
            }
            System.out.printf(Locale.ROOT, "mini-batch EM: %d passes in %.1f s; final %.6f in %.1f s; within %.3f"
                    + " of batch EM's final after %.1f s%n", passes, r.miniPassesSeconds(), r.miniFinal(),
                    r.miniSeconds(), quality, r.miniTimeToQuality());
            System.out.printf(Locale.ROOT, "speed-up to quality: %.1fx%n", r.speedup());
            System.out.println(JSON.writeValueAsString(r));
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** Draws the rows, caches them as blocks and measures both fits. */
    public Result measure(SparkSession spark) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Mixture truth = RandomMixtures.draw(k, d, CovarianceType.FULL, separation, new Random(seed));
        long rowsPerPartition = (n + partitions - 1) / partitions;
        int rowsInBlock = blockSize;
        long total = n;
        long dataSeed = seed;
        JavaRDD<DataBlock> blocks = sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                .flatMap(p -> {
                    long from = p * rowsPerPartition;
                    long rows = Math.max(0, Math.min(total, from + rowsPerPartition) - from);
                    Random random = new Random(dataSeed * 1_000_003L + p);
                    List<DataBlock> out = new ArrayList<>();
                    for (long done = 0; done < rows; done += rowsInBlock) {
                        int m = (int) Math.min(rowsInBlock, rows - done);
                        out.add(DataBlock.of(truth.sample(m, random, null), truth.d()));
                    }
                    return out.iterator();
                });
        try (SparkBlockData data = new SparkBlockData(blocks, d, SparkBlockData.DEFAULT_AGGREGATION_DEPTH)
                .warnings(message -> System.out.println("warning: " + message))) {
            EmOptions options = EmOptions.builder(k, CovarianceType.FULL).tol(tol).maxIter(maxIter).seed(seed)
                    .kernel(kernel).build();
            String passKernel = Kernels.passName(kernel);
            Mixture start = EmFitter.initialMixture(data, options, 0, FitListener.NONE);

            List<IterationRecord> iterations = new ArrayList<>();
            EmResult batch = EmFitter.run(data, start, options, passKernel, 0, new FitListener() {
                @Override
                public void iteration(int restart, IterationRecord record) {
                    iterations.add(record);
                }
            });
            double target = batch.meanLogLikelihood() - quality;
            double batchSeconds = 0;
            double batchToQuality = Double.NaN;
            for (IterationRecord record : iterations) {
                if (Double.isNaN(batchToQuality) && record.meanLogLikelihood() >= target) {
                    batchToQuality = batchSeconds;
                }
                batchSeconds += record.seconds();
            }
            if (Double.isNaN(batchToQuality) && batch.meanLogLikelihood() >= target) {
                batchToQuality = batchSeconds;
            }

            // The mini-batch model is scored every so many steps; the scoring passes are timed and taken out.
            List<double[]> curve = new ArrayList<>();
            long begin = System.nanoTime();
            double[] scoring = {0};
            List<IterationRecord> miniRecords = new ArrayList<>();
            EmResult mini = MiniBatchEm.run(data, start, options,
                    new MiniBatchOptions(batchRows, passes, finishIterations, stepExponent, stepOffset), new FitListener() {
                        @Override
                        public void iteration(int restart, IterationRecord record) {
                            miniRecords.add(record);
                        }
                    }, (model, step) -> {
                        if (step % evaluateEvery == 0) {
                            long from = System.nanoTime();
                            double seconds = (from - begin) / 1e9 - scoring[0];
                            double mean = data.aggregate(new ExpectationPass(model, passKernel)).meanLogLikelihood();
                            curve.add(new double[] {step, seconds, mean});
                            scoring[0] += (System.nanoTime() - from) / 1e9;
                        }
                    });
            double passesSeconds = 0;
            for (int p = 0; p < passes; p++) {
                passesSeconds += miniRecords.get(p).seconds();
            }
            passesSeconds -= scoring[0];
            double elapsed = passesSeconds;
            for (int p = passes; p < miniRecords.size(); p++) {
                elapsed += miniRecords.get(p).seconds();
                double reached = p + 1 < miniRecords.size() ? miniRecords.get(p + 1).meanLogLikelihood()
                        : mini.meanLogLikelihood();
                curve.add(new double[] {-1, elapsed, reached});
            }
            double miniToQuality = Double.NaN;
            for (double[] point : curve) {
                if (point[2] >= target) {
                    miniToQuality = point[1];
                    break;
                }
            }
            return new Result(n, d, k, batch.kernel(), batch.meanLogLikelihood(), batch.iterations(), batchSeconds,
                    batchToQuality, curve, passesSeconds, mini.meanLogLikelihood(), elapsed, miniToQuality);
        }
    }
}
