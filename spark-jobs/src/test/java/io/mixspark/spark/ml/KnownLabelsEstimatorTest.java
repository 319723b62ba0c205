package io.mixspark.spark.ml;

import static io.mixspark.spark.ml.MixSparkGaussianMixtureTest.assertMixturesClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.spark.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Semi-supervised EM through the estimator: a column of known components (5% of the rows, and a
 * tenth of the values missing) gives the in-memory fit's model whatever the partitioning.
 */
class KnownLabelsEstimatorTest {

    private static final int D = 3;
    private static final int N = 1500;
    private static double[] values;
    private static int[] labels;

    @BeforeAll
    static void data() {
        SharedSpark.session();
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 2.5, new Random(41));
        int[] components = new int[N];
        values = truth.sample(N, new Random(42), components);
        labels = new int[N];
        Random random = new Random(43);
        for (int i = 0; i < N; i++) {
            labels[i] = random.nextDouble() < 0.05 ? components[i] : DataBlock.UNLABELLED;
        }
        for (int i = 0; i < values.length; i++) {
            if (random.nextDouble() < 0.1) {
                values[i] = Double.NaN;
            }
        }
    }

    private static Dataset<Row> frame(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(values, i * D, i * D + D)),
                    labels[i] == DataBlock.UNLABELLED ? null : labels[i]));
        }
        StructType schema = new StructType().add("features", new VectorUDT(), false)
                .add("known", DataTypes.IntegerType, true);
        return SharedSpark.session().createDataFrame(rows, schema).repartition(partitions);
    }

    private static MixSparkGaussianMixture estimator() {
        return new MixSparkGaussianMixture().setK(3).setSeed(7).setTol(1e-8).setKernel("java").setMissing("em")
                .setKnownLabelCol("known");
    }

    @Test
    void theModelDoesNotDependOnThePartitioningAndEqualsTheInMemoryFit() {
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(7).tol(1e-8).kernel("java").build();
        EmResult local = EmFitter.fit(InMemoryBlockData.of(values, null, labels, D, 4096), options,
                FitListener.NONE);
        for (int partitions : new int[] {1, 3, 8}) {
            MixSparkGaussianMixtureModel model = estimator().fit(frame(partitions));
            assertMixturesClose(local.model(), model.mixture(), 1e-9, partitions + " partitions");
            assertEquals(local.logLikelihood(), model.summary().logLikelihood(),
                    1e-9 * Math.abs(local.logLikelihood()), partitions + " partitions");
        }
    }

    @Test
    void aLabelWeightCountsTheLabelledRowsThatManyTimes() {
        double[] weights = new double[N];
        for (int i = 0; i < N; i++) {
            weights[i] = labels[i] == DataBlock.UNLABELLED ? 1 : 4;
        }
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(7).tol(1e-8).kernel("java").build();
        EmResult local = EmFitter.fit(InMemoryBlockData.of(values, weights, labels, D, 4096), options,
                FitListener.NONE);
        MixSparkGaussianMixtureModel model = estimator().setLabelWeight(4).fit(frame(2));
        assertMixturesClose(local.model(), model.mixture(), 1e-9, "label weight 4");
    }

    @Test
    void knownLabelsNeedDoubleStorageAndAnExistingColumn() {
        IllegalArgumentException floats = assertThrows(IllegalArgumentException.class,
                () -> estimator().setStorage("float").setMissing("skip").fit(frame(1)));
        assertTrue(floats.getMessage().contains("does not keep known labels"), floats.getMessage());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> estimator().setKnownLabelCol("nope").fit(frame(1)));
        assertTrue(absent.getMessage().contains("'nope' does not exist"), absent.getMessage());
        assertThrows(IllegalArgumentException.class, () -> estimator().setLabelWeight(0));
    }
}
