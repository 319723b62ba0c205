package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.metrics.ClusteringMetrics;
import io.mixspark.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The table of docs/MISSING.md, "Partial labels": with a random 5% of the rows labelled (10
 * draws, seeds 100-109), the mean misclustering of semi-supervised EM, of unlabelled EM, and of the
 * same Gaussian model trained on the labelled rows alone, per dataset and covariance type. It runs
 * only with {@code -Dmixspark.report=true} and writes target/semi-supervised.md; it asserts only
 * that every rate is a rate.
 */
@EnabledIf("requested")
class SemiSupervisedReportTest {

    static boolean requested() {
        return Boolean.getBoolean("mixspark.report") || Boolean.getBoolean("mixspark.reports");
    }

    @Test
    void fivePercentLabelled() throws IOException {
        StringBuilder table = new StringBuilder("| dataset | covariance | semi-supervised EM | unlabelled EM |"
                + " trained on the labelled rows |\n|---|---|---:|---:|---:|\n");
        for (String name : new String[] {"iris", "wine", "breast_cancer"}) {
            for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG}) {
                double[] rates = rates(Fixtures.dataset(name), type, 10, 100);
                for (double r : rates) {
                    assertTrue(r >= 0 && r <= 1, name + " " + type + ": " + r);
                }
                table.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f |%n", name, type.id(),
                        rates[0], rates[1], rates[2]));
            }
        }
        Files.writeString(Path.of("target", "semi-supervised.md"), table.toString());
        System.out.print(table);
    }

    /**
     * Mean misclustering of {semi-supervised, unlabelled, labelled rows only} over the draws; draw
     * j labels a random 5% of the rows with seed {@code firstSeed + j}.
     */
    static double[] rates(Fixtures.Dataset data, CovarianceType type, int draws, long firstSeed) {
        int k = Arrays.stream(data.labels()).max().orElseThrow() + 1;
        int n = data.rows();
        int d = data.d();
        double[] sums = new double[3];
        for (int draw = 0; draw < draws; draw++) {
            Random random = new Random(firstSeed + draw);
            int[] labels = new int[n];
            Arrays.fill(labels, DataBlock.UNLABELLED);
            int labelled = 0;
            for (int i = 0; i < n; i++) {
                if (random.nextDouble() < 0.05) {
                    labels[i] = data.labels()[i];
                    labelled++;
                }
            }
            EmOptions options = EmOptions.builder(k, type).seed(draw).nInit(3).kernel("java").build();
            sums[0] += misclustering(EmFitter.fit(InMemoryBlockData.of(data.values(), null, labels, d, 64), options,
                    FitListener.NONE).model(), data);
            sums[1] += misclustering(EmFitter.fit(InMemoryBlockData.of(data.values(), d), options,
                    FitListener.NONE).model(), data);
            sums[2] += misclustering(labelledOnly(data, labels, labelled, k, type), data);
        }
        for (int i = 0; i < 3; i++) {
            sums[i] /= draws;
        }
        return sums;
    }

    /** One M-step on the labelled rows: the model a classifier trained on them alone would use. */
    private static Mixture labelledOnly(Fixtures.Dataset data, int[] labels, int labelled, int k,
                                        CovarianceType type) {
        int d = data.d();
        double[] x = new double[labelled * d];
        int[] y = new int[labelled];
        int j = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != DataBlock.UNLABELLED) {
                System.arraycopy(data.values(), i * d, x, j * d, d);
                y[j++] = labels[i];
            }
        }
        EmOptions options = EmOptions.builder(k, type).maxIter(1).kernel("java").build();
        try {
            return EmFitter.fit(InMemoryBlockData.of(x, null, y, d, 64), options, FitListener.NONE).model();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A model that could not be fitted counts as wrong on every row. */
    private static double misclustering(Mixture model, Fixtures.Dataset data) {
        if (model == null) {
            return 1.0;
        }
        int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, model, DataBlock.of(data.values(), data.d()));
        return ClusteringMetrics.misclusteringRate(data.labels(), predicted);
    }
}
