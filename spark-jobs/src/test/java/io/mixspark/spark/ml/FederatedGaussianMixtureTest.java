package io.mixspark.spark.ml;

import static io.mixspark.spark.ml.MixSparkGaussianMixtureTest.assertMixturesClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.IterationRecord;
import io.mixspark.federated.RoundRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The federated Estimator: federated EM through Spark is centralised EM, whatever the partitioning. */
class FederatedGaussianMixtureTest {

    private static final int D = 3;
    private static final int ROUNDS = 15;
    private static SparkSession spark;
    private static Mixture start;
    private static List<Row> rows;

    @BeforeAll
    static void data() {
        spark = SharedSpark.session();
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(21));
        Random random = new Random(22);
        double[] values = truth.sample(2400, random, null);
        // Uneven sites: "tiny" holds about 1% of the rows; integer-like names sort numerically.
        String[] names = {"tiny", "7", "12", "north"};
        double[] share = {0.01, 0.5, 0.3, 0.19};
        rows = new ArrayList<>();
        for (int i = 0; i < values.length / D; i++) {
            double u = random.nextDouble();
            int s = 0;
            while (s < names.length - 1 && u >= share[s]) {
                u -= share[s];
                s++;
            }
            double weight = 0.25 + 1.5 * random.nextDouble();
            rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(values, i * D, i * D + D)), names[s], weight));
        }
        double[][] means = truth.means();
        double[][] covs = new double[3][];
        for (int c = 0; c < 3; c++) {
            means[c][c % D] += 1.0;
            covs[c] = new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        start = new Mixture(CovarianceType.FULL, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, means, covs);
    }

    static Dataset<Row> frame(int partitions) {
        StructType schema = new StructType().add("features", new VectorUDT(), false)
                .add("site", DataTypes.StringType, false).add("w", DataTypes.DoubleType, false);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 3, 8})
    void federatedEmThroughSparkIsCentralisedEm(int partitions) {
        Dataset<Row> df = frame(partitions);
        MixSparkGaussianMixtureModel central = new MixSparkGaussianMixture().setInitialModel(start).setMaxIter(ROUNDS).setTol(1e-9)
                .setKernel("java").setWeightCol("w").fit(df);
        FederatedGaussianMixture.Fitted federated = new FederatedGaussianMixture().setMode("em").setSiteCol("site")
                .setInitialModel(start).setRounds(ROUNDS).setTol(1e-9).setKernel("java").setWeightCol("w")
                .setBlockSize(97).fitDetailed(df);

        assertEquals(List.of("7", "12", "north", "tiny"), List.copyOf(federated.outcome().siteRows().keySet()));
        assertMixturesClose(central.mixture(), federated.model().mixture(), 1e-10, partitions + " partitions");
        MixSparkGaussianMixtureSummary c = central.summary();
        MixSparkGaussianMixtureSummary f = federated.model().summary();
        assertEquals(ROUNDS, c.iterations(), "the start is rough enough that every round moves the model");
        assertEquals(c.iterations(), f.iterations());
        for (int i = 0; i < c.iterations(); i++) {
            IterationRecord a = c.history().get(i);
            IterationRecord b = f.history().get(i);
            assertEquals(a.meanLogLikelihood(), b.meanLogLikelihood(), 1e-10, "round " + (i + 1));
        }
        assertEquals(c.logLikelihood(), f.logLikelihood(), 1e-10 * Math.abs(c.logLikelihood()));
        assertEquals(c.bic(), f.bic(), 1e-10 * Math.abs(c.bic()));
        assertEquals(c.rows(), f.rows());
        // Every round moved the model down to 4 sites and 4 sites' statistics up.
        for (RoundRecord r : federated.outcome().rounds()) {
            assertEquals(4, r.sites());
            assertEquals(4 * (3 + 3 * 3 + 3 * 6) * 8, r.bytesDown());
            assertEquals(4 * (3 + 3 * 3 + 3 * 6 + 3) * 8, r.bytesUp());
        }
    }

    @Test
    void personalizedModeReturnsTheSharedModelAndPerSiteWeights() {
        FederatedGaussianMixture.Fitted fitted = new FederatedGaussianMixture().setMode("personalized")
                .setSiteCol("site").setK(3).setRounds(10).setKernel("java").setSeed(3).fitDetailed(frame(2));
        var personalized = fitted.outcome().personalized();
        assertEquals(fitted.model().mixture(), personalized.shared());
        for (String s : List.of("7", "12", "north", "tiny")) {
            double[] w = personalized.siteWeights().get(s);
            assertEquals(fitted.model().mixture().k(), w.length);
            assertEquals(1.0, Arrays.stream(w).sum(), 1e-12, s);
        }
        assertEquals("one-shot", fitted.outcome().start());
        assertFalse(fitted.outcome().localFits().isEmpty());
        Dataset<Row> scored = fitted.model().transform(frame(2));
        assertTrue(Arrays.asList(scored.columns()).containsAll(List.of("prediction", "probability")));
    }

    @Test
    void paramsSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
        FederatedGaussianMixture saved = new FederatedGaussianMixture().setMode("em").setSiteCol("site").setK(4)
                .setCovarianceType("diag").setEpsilon(2).setDelta(1e-6).setClip(7).setRounds(12).setLocalKRange("1..5");
        saved.write().save(dir.resolve("estimator").toString());
        FederatedGaussianMixture loaded = FederatedGaussianMixture.load(dir.resolve("estimator").toString());
        assertEquals(saved.uid(), loaded.uid());
        assertEquals(saved.settings(), loaded.settings());
        assertEquals(2.0, loaded.settings().privacy().epsilon());
        assertEquals(5, loaded.settings().localKMax());
    }

    @Test
    void badParamCombinationsAreRejectedBeforeAnyJob() {
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setMode("personalized")
                .setEpsilon(1).setDelta(1e-5).setClip(5).settings());
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setMode("em")
                .setEpsilon(1).setClip(5).settings());
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setMode("one-shot")
                .setCovarianceType("tied").settings());
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setSiteCol("nope")
                .fit(frame(1)));
    }
}
