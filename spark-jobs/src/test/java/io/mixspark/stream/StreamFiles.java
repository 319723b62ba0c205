package io.mixspark.stream;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.io.ModelJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * CSV files drawn from known mixtures, as a landing directory receives them: {@code part-NNN.csv}
 * with a header {@code x1,...,xd}, each file's modification time a second after the one before,
 * so the stream's file source takes them in order, one per batch with maxFilesPerTrigger = 1.
 */
public final class StreamFiles {

    private StreamFiles() {
    }

    /** Three well separated 2-d components, their means moved by {@code shift} along both axes. */
    public static Mixture threeClusters(double shift) {
        double[][] means = {{shift, shift}, {6 + shift, shift}, {shift, 6 + shift}};
        return Mixture.fromFullCovariances(CovarianceType.FULL, new double[] {0.3, 0.3, 0.4}, means,
                new double[][][] {{{1, 0.3}, {0.3, 1}}, {{1, -0.2}, {-0.2, 0.8}}, {{0.7, 0}, {0, 1.2}}});
    }

    /** {@link #threeClusters} plus two more far away, all five equally weighted. */
    public static Mixture fiveClusters() {
        double[][] means = {{0, 0}, {6, 0}, {0, 6}, {12, 12}, {-8, 12}};
        double[][][] covariances = new double[5][][];
        for (int c = 0; c < 5; c++) {
            covariances[c] = new double[][] {{1, 0.2}, {0.2, 1}};
        }
        return Mixture.fromFullCovariances(CovarianceType.FULL, new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, means,
                covariances);
    }

    /**
     * Writes files {@code first .. first + files - 1}, each of {@code rows} rows drawn from the mixture,
     * and returns their rows (row-major) in file order.
     */
    public static double[] write(Path dir, Mixture mixture, int first, int files, int rows, long seed) {
        int d = mixture.d();
        double[] all = new double[files * rows * d];
        try {
            Files.createDirectories(dir);
            long base = System.currentTimeMillis() - 3_600_000L;
            for (int f = 0; f < files; f++) {
                int index = first + f;
                double[] x = mixture.sample(rows, new Random(seed * 1000 + index), new int[rows]);
                System.arraycopy(x, 0, all, f * rows * d, rows * d);
                List<String> lines = new ArrayList<>();
                List<String> header = new ArrayList<>();
                for (int a = 1; a <= d; a++) {
                    header.add("x" + a);
                }
                lines.add(String.join(",", header));
                for (int i = 0; i < rows; i++) {
                    StringBuilder line = new StringBuilder();
                    for (int a = 0; a < d; a++) {
                        line.append(a == 0 ? "" : ",").append(x[i * d + a]);
                    }
                    lines.add(line.toString());
                }
                Path file = dir.resolve(String.format(Locale.ROOT, "part-%03d.csv", index));
                Files.write(file, lines);
                Files.setLastModifiedTime(file, FileTime.fromMillis(base + 1000L * index));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** The mean log-likelihood of rows under a model, by the in-memory scorer. */
    public static double meanLogLikelihood(Mixture model, double[] rows) {
        double sum = 0;
        double[] scores = Scoring.scoreSamples(JavaLikelihoodKernel.INSTANCE, model, DataBlock.of(rows, model.d()));
        for (double v : scores) {
            sum += v;
        }
        return sum / scores.length;
    }

    /** The mixture of an output's model.json. */
    public static Mixture model(Path output) {
        try {
            return ModelJson.parse(Files.readString(output.resolve("model.json")), output.toString()).mixture();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
