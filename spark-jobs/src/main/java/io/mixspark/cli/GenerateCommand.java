package io.mixspark.cli;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.ShapeFamily;
import io.mixspark.io.InputTable;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.spark.SyntheticData;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mixspark generate}: synthetic rows from a random mixture, with their true labels. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write rows drawn from a random Gaussian mixture (columns x1..xd and label);"
                + " the true mixture goes to _truth.json inside the output.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--n", required = true, paramLabel = "ROWS", description = "Number of rows.")
    long n;

    @Option(names = "--d", paramLabel = "D", description = "Number of features (required without --family).")
    Integer d;

    @Option(names = "--k", paramLabel = "K", description = "Number of components (required without --family).")
    Integer k;

    @Option(names = "--family", paramLabel = "NAME",
            description = "Draw from a family of differently shaped clusters instead (docs/SDP.md, \"Shape"
                    + " families\"): " + "elongated3, elongated-compact or mixed4; it fixes d and k, and the"
                    + " seed draws its means and directions.")
    String family;

    @Option(names = "--separation", paramLabel = "X",
            description = "Means are drawn from N(0, X^2 I); covariances have eigenvalues in [0.5, 2]"
                    + " (default: ${DEFAULT-VALUE}).")
    double separation = 4;

    @Option(names = "--covariance", paramLabel = "TYPE",
            description = "Covariance model of the true mixture: " + CovarianceModels.NAMES
                    + " (default: ${DEFAULT-VALUE}).")
    String covariance = "full";

    @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv, parquet, orc or json (default: from the output's extension).")
    String format;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Output partitions (default: one per million rows).")
    Integer partitions;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() throws Exception {
        String fmt = Validation.usage(() -> {
            if (n < 1) {
                throw new IllegalArgumentException("--n must be >= 1, got " + n);
            }
            if (partitions != null && partitions < 1) {
                throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            }
            String f = InputTable.formatOf(job.output(), format);
            if (f.equals("libsvm")) {
                throw new IllegalArgumentException("generate writes csv, parquet, orc or json, not libsvm");
            }
            return f;
        });
        Mixture truth = Validation.usage(this::truth);
        if (job.dryRun.stopsHere("generate")) {
            return ExitCodes.OK;
        }
        int parts = partitions != null ? partitions : (int) Math.max(1, (n + 999_999) / 1_000_000);
        SparkSession session = job.session("mixspark generate");
        List<String> names = SyntheticData.featureNames(truth.d());
        Dataset<Row> rows = SyntheticData.table(session, truth, n, parts, seed);
        try (OutputDirectory out = job.outputDirectory(session)) {
            var writer = rows.write().mode("overwrite");
            if (fmt.equals("csv")) {
                writer = writer.option("header", "true");
            }
            writer.format(fmt).save(out.root());
            out.writeText("_truth.json", ModelJson.toJson(truth, names, null));
            out.commit();
        }
        System.out.println("wrote " + n + " rows to " + job.output());
        return ExitCodes.OK;
    }

    private Mixture truth() {
        if (family == null) {
            if (d == null || k == null) {
                throw new IllegalArgumentException("--d and --k are required unless --family is given");
            }
            return RandomMixtures.draw(k, d, CovarianceType.parse(covariance), separation, new Random(seed));
        }
        ShapeFamily shapes = ShapeFamily.parse(family);
        if (d != null && d != shapes.d() || k != null && k != shapes.k()) {
            throw new IllegalArgumentException("the family " + shapes.id() + " has d = " + shapes.d() + " and k = "
                    + shapes.k() + "; leave out --d and --k");
        }
        return shapes.truth(seed);
    }

}
