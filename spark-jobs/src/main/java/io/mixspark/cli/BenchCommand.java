package io.mixspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.data.BlockStorage;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.io.ModelJson;
import io.mixspark.nativekernel.CorePeak;
import io.mixspark.nativekernel.NativeLibrary;
import io.mixspark.data.MissingValueMode;
import io.mixspark.data.Missingness;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.IterationJobTimes;
import io.mixspark.spark.MissingPatterns;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.SyntheticData;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.linalg.Matrices;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mixspark bench}: seconds per EM iteration of MixSpark, Spark MLlib's GaussianMixture and
 * (when installed) scikit-learn, in one run, on the same generated data, the same start and the
 * same Spark master. Reports ratios, because shared machines make absolute times noisy: each peer
 * runs several times and its median is compared. MixSpark's flop rate is set against the FP64 FMA
 * peak of its kernel's instruction set, measured in the same run ({@link CorePeak}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.mixspark.cli.BenchCommand",
        description = "Time EM iterations of MixSpark against Spark MLlib (and scikit-learn when installed).")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--n", paramLabel = "ROWS", description = "Rows (default: ${DEFAULT-VALUE}).")
    long n = 1_000_000;

    @Option(names = "--d", paramLabel = "D", description = "Features (default: ${DEFAULT-VALUE}).")
    int d = 16;

    @Option(names = "--k", paramLabel = "K", description = "Components (default: ${DEFAULT-VALUE}).")
    int k = 8;

    @Option(names = "--iterations", paramLabel = "N", description = "EM iterations timed (default: ${DEFAULT-VALUE}).")
    int iterations = 10;

    @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions (default: Spark's default parallelism).")
    Integer partitions;

    // Declared once for every command; this command's resource bundle words them for the benchmark.
    @Mixin
    KernelOption kernelOption;

    @Mixin
    StorageOption storageOption;

    @Mixin
    PrecisionOption precisionOption;

    @Option(names = "--peers", split = ",", paramLabel = "NAME",
            description = "Peers to run: mllib, sklearn (default: mllib,sklearn; sklearn only when installed).")
    List<String> peers = List.of("mllib", "sklearn");

    @Option(names = "--peer-runs", paramLabel = "N",
            description = "Times each peer runs; the table shows every run and compares the median (default:"
                    + " ${DEFAULT-VALUE}).")
    int peerRuns = 3;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python with scikit-learn (default: ${DEFAULT-VALUE}).")
    String python = "/usr/bin/python3";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    // Labels long enough to sit on a line of their own, as --peers does, so the help's columns stay put.
    @Option(names = "--missing-share", paramLabel = "SHARE",
            description = "Also time the same rows with this share of their values missing (needs --peers none).")
    Double missingShare;

    @Option(names = "--missing-patterns", paramLabel = "COUNT",
            description = "The missing values fall in COUNT random column sets, one per row (default:"
                    + " ${DEFAULT-VALUE}).")
    int missingPatterns = 8;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        Validation.usage(() -> {
            if (n < 1 || d < 1 || k < 1 || iterations < 1) {
                throw new IllegalArgumentException("--n, --d, --k and --iterations must be >= 1");
            }
            if (peerRuns < 1) {
                throw new IllegalArgumentException("--peer-runs must be >= 1, got " + peerRuns);
            }
            storageOption.blockStorage();
            precisionOption.parsed();
            kernelOption.validate();
            if (missingShare != null) {
                if (peers.contains("mllib") || peers.contains("sklearn")) {
                    throw new IllegalArgumentException("--missing-share times MixSpark alone; add --peers none");
                }
                if (storageOption.blockStorage() == BlockStorage.FLOAT) {
                    throw new IllegalArgumentException("--storage float cannot hold missing values; drop"
                            + " --missing-share or use --storage double");
                }
                MissingPatterns.draw(d, missingShare, missingPatterns, new Random(seed));
            }
            return null;
        });
        SparkSession session = spark.session("mixspark bench");
        int parts = partitions != null ? partitions : session.sparkContext().defaultParallelism();
        Mixture truth = RandomMixtures.draw(k, d, CovarianceType.FULL, 3, new Random(seed));
        Dataset<Row> vectors = generate(session, truth, n, parts);
        boolean peersRun = peers.contains("mllib") || peers.contains("sklearn");
        if (peersRun) {
            // The peers read the table several times; without them the generated rows are only
            // read when MixSpark packs its blocks, so caching them would only cost memory.
            vectors = vectors.persist(StorageLevel.MEMORY_AND_DISK());
        }
        long rows = peersRun ? vectors.count() : n;
        System.out.printf(Locale.ROOT, "bench: n=%d d=%d k=%d, %d iterations, %d partitions, master %s%n", rows, d,
                k, iterations, parts, session.sparkContext().master());

        // The start: one MixSpark iteration from k-means++ on the first (at most) 10^6 rows.
        Mixture start = new MixSparkGaussianMixture().setK(k).setSeed(seed).setMaxIter(1).setKernel(kernelOption.kernel)
                .fit(n <= START_ROWS ? vectors : generate(session, truth, START_ROWS, parts)).mixture();
        ObjectNode report = JobOutputs.JSON.createObjectNode();
        report.put("n", rows).put("d", d).put("k", k).put("iterations", iterations).put("partitions", parts)
                .put("master", session.sparkContext().master());
        ArrayNode systems = report.putArray("systems");

        MixSparkGaussianMixtureModel ours = new MixSparkGaussianMixture().setInitialModel(start)
                .setMaxIter(iterations).setTol(0).setKernel(kernelOption.kernel).setStorage(storageOption.blockStorage().id())
                .setPrecision(precisionOption.parsed().id()).fit(vectors);
        double oursPerIteration = medianAfterFirst(ours.summary().history());
        add(systems, "mixspark (" + ours.summary().kernel() + ", " + ours.summary().storage() + " storage, "
                        + precisionOption.parsed().id() + " arithmetic)",
                oursPerIteration, ours.summary().meanLogLikelihood(), oursPerIteration);
        report.put("storage", ours.summary().storage());
        report.put("precision", precisionOption.parsed().id());
        report.put("cachedBytesPerRow", ours.summary().cachedBytesPerRow());
        int coresUsed = Math.min(parts, session.sparkContext().defaultParallelism());
        String flopRate = reportFlopRate(report, Kernels.named(ours.summary().kernel()), rows, oursPerIteration,
                coresUsed);

        if (missingShare != null) {
            timeWithMissingValues(vectors, start, systems, report, oursPerIteration);
        }
        if (peers.contains("mllib")) {
            double[] mllib = runMllib(vectors, start);
            double meanLl = meanLogLikelihood(vectors, toMixture(lastMllibModel));
            addPeer(systems, "spark-mllib", mllib, meanLl, oursPerIteration);
        }
        if (peers.contains("sklearn")) {
            List<JsonNode> sk = runSklearn(vectors, start, rows);
            if (sk != null) {
                double[] runs = sk.stream().mapToDouble(r -> r.get("secondsPerIteration").asDouble()).toArray();
                addPeer(systems, "scikit-learn", runs, sk.get(sk.size() - 1).get("meanLogLikelihood").asDouble(),
                        oursPerIteration);
            }
        }
        vectors.unpersist();
        System.out.printf(Locale.ROOT, "%nMixSpark's cache: %.1f bytes per row (%s storage)%n",
                ours.summary().cachedBytesPerRow(), ours.summary().storage());
        System.out.println(flopRate);
        System.out.println();
        System.out.println("| system | seconds per iteration | each run | range | x MixSpark's time"
                + " | final mean log-likelihood |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (JsonNode s : systems) {
            System.out.printf(Locale.ROOT, "| %s | %.4f | %s | %s | %.1f | %.6f |%n", s.get("system").asText(),
                    s.get("secondsPerIteration").asDouble(), eachRun(s), range(s), s.get("ratio").asDouble(),
                    s.get("meanLogLikelihood").asDouble());
        }
        if (peersRun) {
            System.out.printf(Locale.ROOT, "(peers: median of %d runs; MixSpark: median of the iterations of one"
                    + " fit)%n", peerRuns);
        }
        if (json != null) {
            Files.writeString(json, JobOutputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        return ExitCodes.OK;
    }

    /**
     * The same rows with missing values punched in, fitted from the same start with missing
     * {@code em}; adds a row to the table and the ratio of seconds per iteration to the complete rows'.
     */
    private void timeWithMissingValues(Dataset<Row> vectors, Mixture start, ArrayNode systems, ObjectNode report,
                                       double completePerIteration) {
        MissingPatterns patterns = MissingPatterns.draw(d, missingShare, missingPatterns, new Random(seed));
        MixSparkGaussianMixtureModel fit = new MixSparkGaussianMixture().setInitialModel(start)
                .setMaxIter(iterations).setTol(0).setKernel(kernelOption.kernel).setMissing(MissingValueMode.EM.id())
                .fit(patterns.punch(vectors, seed));
        double perIteration = medianAfterFirst(fit.summary().history());
        Missingness missing = fit.summary().missingness().orElseThrow();
        double share = Arrays.stream(missing.missingShare()).average().orElse(0);
        add(systems, String.format(Locale.ROOT, "mixspark, %.0f%% missing in %d patterns (%s)", 100 * share,
                missing.patterns(), fit.summary().kernel()), perIteration, fit.summary().meanLogLikelihood(),
                completePerIteration);
        report.put("missingShare", share).put("missingPatterns", missing.patterns())
                .put("missingSecondsPerIteration", perIteration)
                .put("missingRatio", perIteration / completePerIteration);
        System.out.printf(Locale.ROOT, "%nwith missing values: %.4f s per iteration, complete rows %.4f s: %.2fx"
                        + " (%.1f%% of the values missing, %d patterns)%n", perIteration, completePerIteration,
                perIteration / completePerIteration, 100 * share, missing.patterns());
    }

    private org.apache.spark.mllib.clustering.GaussianMixtureModel lastMllibModel;

    /** Rows the start is fitted on. */
    private static final long START_ROWS = 1_000_000;

    private Dataset<Row> generate(SparkSession session, Mixture truth, long rows, int parts) {
        return new VectorAssembler().setInputCols(SyntheticData.featureNames(d).toArray(String[]::new))
                .setOutputCol("features").transform(SyntheticData.table(session, truth, rows, parts, seed))
                .select("features");
    }

    /**
     * MLlib's seconds per iteration, once per run: (time of 1 + N iterations - time of 1) / N, from
     * our start, after one untimed run that warms up its code. Its time swings widely between runs.
     */
    private double[] runMllib(Dataset<Row> vectors, Mixture start) throws InterruptedException {
        JavaRDD<org.apache.spark.mllib.linalg.Vector> data = vectors.javaRDD()
                .map(r -> Vectors.fromML((Vector) r.get(0)));
        org.apache.spark.mllib.clustering.GaussianMixtureModel initial = toMllib(start);
        new org.apache.spark.mllib.clustering.GaussianMixture().setK(k).setInitialModel(initial).setMaxIterations(1)
                .setConvergenceTol(0).setSeed(seed).run(data);
        double[] runs = new double[peerRuns];
        for (int run = 0; run < peerRuns; run++) {
            // One treeAggregate job per EM iteration: 1 + iterations jobs give `iterations` whole
            // iterations between their starts. MLlib stops when its total log-likelihood stops
            // changing, at once when it is not finite (its densities underflow in high dimension):
            // then fewer jobs run and the time says little.
            try (IterationJobTimes times = new IterationJobTimes(vectors.sparkSession().sparkContext(),
                    "mixspark-bench-mllib-" + run, "treeAggregate at GaussianMixture")) {
                lastMllibModel = new org.apache.spark.mllib.clustering.GaussianMixture().setK(k)
                        .setInitialModel(initial).setMaxIterations(1 + iterations).setConvergenceTol(0).setSeed(seed)
                        .run(data);
                double[] intervals = times.secondsPerIteration(1 + iterations);
                Arrays.sort(intervals);
                runs[run] = intervals.length == 0 ? Double.NaN : median(intervals);
            }
        }
        return runs;
    }

    /** scikit-learn's result of each run (the data is written once), or null when it was skipped. */
    private List<JsonNode> runSklearn(Dataset<Row> vectors, Mixture start, long rows) throws IOException,
            InterruptedException {
        if (!Files.isExecutable(Path.of(python)) || rows * d > Integer.MAX_VALUE / 8) {
            System.out.println("bench: scikit-learn skipped (no " + python + ", or the data is too large to collect)");
            return null;
        }
        Path dir = Files.createTempDirectory("mixspark-bench");
        try {
            Path data = dir.resolve("data.f64");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
                ByteBuffer buffer = ByteBuffer.allocate(8 * d).order(ByteOrder.LITTLE_ENDIAN);
                Iterator<Row> it = vectors.toLocalIterator();
                while (it.hasNext()) {
                    buffer.clear();
                    for (double v : ((Vector) it.next().get(0)).toArray()) {
                        buffer.putDouble(v);
                    }
                    out.write(buffer.array());
                }
            }
            Path model = dir.resolve("start.json");
            Files.writeString(model, ModelJson.toJson(start, SyntheticData.featureNames(d), null));
            Path script = dir.resolve("sklearn_em.py");
            try (InputStream in = BenchCommand.class.getResourceAsStream("sklearn_em.py")) {
                Files.copy(in, script);
            }
            List<JsonNode> results = new ArrayList<>();
            for (int run = 0; run < peerRuns; run++) {
                // Standard error goes to a file: read after standard output through pipes, a child that
                // fills the error pipe first would block, and the two would wait for each other.
                Path errors = dir.resolve("stderr.txt");
                Process p = new ProcessBuilder(python, script.toString(), data.toString(), Long.toString(rows),
                        Integer.toString(d), model.toString(), Integer.toString(iterations), "full")
                        .redirectError(errors.toFile()).start();
                String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
                String stderr = Files.readString(errors, StandardCharsets.UTF_8);
                if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
                    System.out.println("bench: scikit-learn skipped: "
                            + stderr.lines().reduce((a, b) -> b).orElse(""));
                    return null;
                }
                results.add(JobOutputs.JSON.readTree(stdout));
            }
            return results;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private double meanLogLikelihood(Dataset<Row> vectors, Mixture model) {
        try (SparkBlockData data = new SparkBlockData(BlockPacker.pack(vectors, "features", null, d,
                BlockPacker.DEFAULT_BLOCK_ROWS), d, SparkBlockData.DEFAULT_AGGREGATION_DEPTH)
                .warnings(message -> System.out.println("warning: " + message))) {
            return data.aggregate(new ExpectationPass(model, kernelOption.kernel)).meanLogLikelihood();
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    private static ObjectNode add(ArrayNode systems, String name, double perIteration, double meanLl, double ours) {
        ObjectNode s = systems.addObject();
        s.put("system", name);
        s.put("secondsPerIteration", perIteration);
        s.put("ratio", perIteration / ours);
        s.put("meanLogLikelihood", meanLl);
        return s;
    }

    /** A peer's row: the median of its runs is compared; every run and the range are kept. */
    private static void addPeer(ArrayNode systems, String name, double[] runs, double meanLl, double ours) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        ObjectNode s = add(systems, name, median(sorted), meanLl, ours);
        ArrayNode each = s.putArray("runs");
        for (double r : runs) {
            each.add(r);
        }
        s.put("min", sorted[0]);
        s.put("max", sorted[sorted.length - 1]);
    }

    private static String eachRun(JsonNode system) {
        if (!system.has("runs")) {
            return "-";
        }
        List<String> out = new ArrayList<>();
        system.get("runs").forEach(r -> out.add(String.format(Locale.ROOT, "%.4f", r.asDouble())));
        return String.join(", ", out);
    }

    private static String range(JsonNode system) {
        return system.has("runs") ? String.format(Locale.ROOT, "%.4f to %.4f", system.get("min").asDouble(),
                system.get("max").asDouble()) : "-";
    }

    /**
     * Puts MixSpark's whole-iteration flop rate (2 n K d^2 flops: the quadratic forms and the
     * scatters) and the FP64 FMA peak of the cores it used, measured now, into the report;
     * returns the line to print.
     */
    private static String reportFlopRate(ObjectNode report, LikelihoodKernel kernel, long rows, double perIteration,
                                         int coresUsed) {
        int d = report.get("d").asInt();
        double flops = 2.0 * rows * report.get("k").asInt() * d * d;
        double gflops = flops / perIteration / 1e9;
        report.put("flopsPerIteration", flops).put("gflops", gflops).put("coresUsed", coresUsed);
        Optional<CorePeak> measured = CorePeak.forKernel(kernel, CorePeak.DEFAULT_ITERATIONS, CorePeak.DEFAULT_RUNS);
        if (measured.isEmpty()) {
            report.putNull("peakGflops").putNull("percentOfPeak");
            return String.format(Locale.ROOT, "MixSpark: %.3g GFLOP/s (2 n K d^2 flops per iteration); no peak"
                    + " measured: %s", gflops, NativeLibrary.failure());
        }
        CorePeak peak = measured.get();
        double total = peak.gflopsPerCore() * coresUsed;
        double percent = 100 * gflops / total;
        report.put("peakRoutine", peak.routine()).put("peakGflopsPerCore", peak.gflopsPerCore())
                .put("peakGflops", total).put("percentOfPeak", percent);
        return String.format(Locale.ROOT, "MixSpark: %.3g GFLOP/s (2 n K d^2 flops per iteration), %.3g%% of the"
                        + " peak of %.1f GFLOP/s: %.1f per core (%s FMA chains, measured now) x %d cores", gflops,
                percent, total, peak.gflopsPerCore(), peak.routine(), coresUsed);
    }

    private static double medianAfterFirst(List<IterationRecord> history) {
        return median(history.stream().skip(history.size() > 1 ? 1 : 0).mapToDouble(IterationRecord::seconds)
                .sorted().toArray());
    }

    /** The median of sorted values; the mean of the middle two for an even count. */
    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static org.apache.spark.mllib.clustering.GaussianMixtureModel toMllib(Mixture m) {
        MultivariateGaussian[] gaussians = new MultivariateGaussian[m.k()];
        for (int c = 0; c < m.k(); c++) {
            double[][] cov = m.covarianceMatrix(c);
            double[] columnMajor = new double[m.d() * m.d()];
            for (int i = 0; i < m.d(); i++) {
                for (int j = 0; j < m.d(); j++) {
                    columnMajor[j * m.d() + i] = cov[i][j];
                }
            }
            gaussians[c] = new MultivariateGaussian(Vectors.dense(m.mean(c)),
                    Matrices.dense(m.d(), m.d(), columnMajor));
        }
        return new org.apache.spark.mllib.clustering.GaussianMixtureModel(m.weights(), gaussians);
    }

    private static Mixture toMixture(org.apache.spark.mllib.clustering.GaussianMixtureModel model) {
        int k = model.k();
        double[][] means = new double[k][];
        double[][][] covariances = new double[k][][];
        for (int c = 0; c < k; c++) {
            MultivariateGaussian g = model.gaussians()[c];
            means[c] = g.mu().toArray();
            int d = means[c].length;
            covariances[c] = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    // Symmetrise: MLlib's covariances are symmetric only up to rounding.
                    covariances[c][i][j] = 0.5 * (g.sigma().apply(i, j) + g.sigma().apply(j, i));
                }
            }
        }
        return Mixture.fromFullCovariances(CovarianceType.FULL, model.weights(), means, covariances);
    }
}
