package io.mixspark.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.spark.SharedSpark;
import io.mixspark.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
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
import org.junit.jupiter.params.provider.EnumSource;

/** The Spark estimator against the in-memory fitter and scikit-learn, and its invariants. */
class MixSparkGaussianMixtureTest {

    private static SparkSession spark;
    private static double[] values;
    private static final int D = 3;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(11));
        values = truth.sample(3000, new Random(12), null);
    }

    static Dataset<Row> frame(double[] rows, int d, double[] weights, int partitions) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.length / d; i++) {
            double[] x = java.util.Arrays.copyOfRange(rows, i * d, i * d + d);
            out.add(weights == null ? RowFactory.create(Vectors.dense(x))
                    : RowFactory.create(Vectors.dense(x), weights[i]));
        }
        StructType schema = new StructType().add("features", new VectorUDT(), false);
        if (weights != null) {
            schema = schema.add("w", DataTypes.DoubleType, false);
        }
        return spark.createDataFrame(out, schema).repartition(partitions);
    }

    @Test
    void floatStorageHalvesTheCacheAndLeavesTheFitWithinFloatRounding() {
        // Shifted far from the origin: float offsets from each block's column means keep the digits.
        double[] shifted = values.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 1e5;
        }
        Dataset<Row> data = frame(shifted, D, null, 2);
        // A given start: sampled initialisations hash the stored values, which float storage rounds.
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(11));
        double[][] means = new double[3][];
        double[][][] covariances = new double[3][][];
        for (int c = 0; c < 3; c++) {
            means[c] = truth.mean(c).clone();
            for (int a = 0; a < D; a++) {
                means[c][a] += 1e5 + 0.5;
            }
            covariances[c] = truth.covarianceMatrix(c);
        }
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(3).setTol(1e-8).setKernel("java")
                .setInitialModel(Mixture.fromFullCovariances(CovarianceType.FULL, truth.weights(), means, covariances));
        MixSparkGaussianMixtureModel doubles = estimator.copy(org.apache.spark.ml.param.ParamMap.empty()).fit(data);
        MixSparkGaussianMixtureModel floats = estimator.setStorage("float").fit(data);
        assertEquals("double", doubles.summary().storage());
        assertEquals("float", floats.summary().storage());
        assertEquals(doubles.summary().iterations(), floats.summary().iterations());
        assertEquals(doubles.summary().meanLogLikelihood(), floats.summary().meanLogLikelihood(),
                1e-6 * Math.abs(doubles.summary().meanLogLikelihood()));
        assertMixturesClose(doubles.mixture(), floats.mixture(), 1e-4, "float storage");
        for (int c = 0; c < 3; c++) {
            for (int a = 0; a < D; a++) {
                assertEquals(doubles.mixture().mean(c)[a], floats.mixture().mean(c)[a], 1e-5, "mean " + c);
            }
        }
        double doubleBytes = doubles.summary().cachedBytesPerRow();
        double floatBytes = floats.summary().cachedBytesPerRow();
        assertTrue(doubleBytes >= 8 * D && floatBytes >= 4 * D && floatBytes < 0.6 * doubleBytes,
                doubleBytes + " and " + floatBytes + " bytes per row");
    }

    @Test
    void theModelDoesNotDependOnThePartitioning() {
        Mixture reference = null;
        for (int partitions : new int[] {1, 3, 8}) {
            MixSparkGaussianMixtureModel model = new MixSparkGaussianMixture().setK(3).setSeed(5).setTol(1e-8).setKernel("java")
                    .fit(frame(values, D, null, partitions));
            if (reference == null) {
                reference = model.mixture();
            } else {
                assertMixturesClose(reference, model.mixture(), 1e-9, partitions + " partitions");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI", "VII", "EEE", "VEI", "EVE"})
    void sparkFitEqualsTheInMemoryFit(CovarianceType type) {
        EmOptions options = EmOptions.builder(3, type).seed(3).tol(1e-6).kernel("java").build();
        EmResult local = EmFitter.fit(InMemoryBlockData.of(values, D), options, FitListener.NONE);

        MixSparkGaussianMixtureModel model = new MixSparkGaussianMixture().setK(3).setCovarianceType(type.id()).setSeed(3)
                .setTol(1e-6).setKernel("java").setBlockSize(100).fit(frame(values, D, null, 4));

        assertMixturesClose(local.model(), model.mixture(), 1e-9, type.id());
        assertEquals(local.iterations(), model.summary().iterations());
        assertEquals(local.logLikelihood(), model.summary().logLikelihood(), 1e-9 * Math.abs(local.logLikelihood()));
    }

    @Test
    void everyIterationOnIrisMatchesSklearnFromTheSameStart() {
        Fixtures.Dataset iris = Fixtures.dataset("iris");
        JsonNode c = Fixtures.json("reference/em_iris.json").get("cases").get("full");
        double[] expected = Fixtures.doubles(c.get("meanLogLikelihood"));
        List<double[]> trace = new ArrayList<>();
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setInitialModel(Fixtures.mixture(c.get("initial"),
                        CovarianceType.FULL)).setMaxIter(expected.length).setTol(0).setKernel("java")
                .setListener(new FitListener() {
                    @Override
                    public void iteration(int restart, IterationRecord r) {
                        trace.add(new double[] {r.meanLogLikelihood()});
                    }
                });

        estimator.fit(frame(iris.values(), iris.d(), null, 3));

        assertEquals(expected.length, trace.size());
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], trace.get(j)[0], 1e-9 * Math.abs(expected[j]), "iteration " + (j + 1));
        }
    }

    @Test
    void logLikelihoodNeverDecreases() {
        MixSparkGaussianMixtureModel model = new MixSparkGaussianMixture().setK(4).setSeed(1).setTol(0).setMaxIter(40)
                .setKernel("java").fit(frame(values, D, null, 2));
        List<IterationRecord> history = model.summary().history();
        assertEquals(40, history.size());
        for (int j = 1; j < history.size(); j++) {
            double before = history.get(j - 1).meanLogLikelihood();
            double after = history.get(j).meanLogLikelihood();
            assertTrue(after >= before - 1e-9 * Math.abs(before), "iteration " + (j + 1) + ": " + before + " -> " + after);
        }
    }

    @Test
    void rowWeightsActLikeRepeatedRows() {
        double[] weights = new double[values.length / D];
        List<Double> repeated = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 3 == 0 ? 2 : 1;
            for (int r = 0; r < weights[i]; r++) {
                for (int a = 0; a < D; a++) {
                    repeated.add(values[i * D + a]);
                }
            }
        }
        double[] duplicated = repeated.stream().mapToDouble(Double::doubleValue).toArray();
        Mixture start = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(11));
        MixSparkGaussianMixtureModel weighted = new MixSparkGaussianMixture().setInitialModel(start).setTol(1e-8).setKernel("java")
                .setWeightCol("w").fit(frame(values, D, weights, 2));
        MixSparkGaussianMixtureModel plain = new MixSparkGaussianMixture().setInitialModel(start).setTol(1e-8).setKernel("java")
                .fit(frame(duplicated, D, null, 2));
        assertMixturesClose(plain.mixture(), weighted.mixture(), 1e-9, "weighted vs duplicated");
    }

    @Test
    void probabilitiesSumToOneAndThePredictionIsTheirArgmax() {
        MixSparkGaussianMixtureModel model = new MixSparkGaussianMixture().setK(3).setSeed(2).setKernel("java")
                .fit(frame(values, D, null, 2));
        List<Row> rows = model.transform(frame(values, D, null, 2)).select("probability", "prediction")
                .collectAsList();
        assertEquals(values.length / D, rows.size());
        for (Row row : rows) {
            Vector p = row.getAs(0);
            double sum = 0;
            for (double v : p.toArray()) {
                assertTrue(v >= 0 && v <= 1);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-12);
            assertEquals(p.argmax(), (int) row.getInt(1));
        }
    }

    @Test
    void persistenceRoundTripsExactly(@TempDir Path dir) throws Exception {
        MixSparkGaussianMixtureModel model = new MixSparkGaussianMixture().setK(3).setCovarianceType("diag").setSeed(4)
                .setKernel("java").fit(frame(values, D, null, 2)).setPredictionCol("cluster");
        String path = dir.resolve("gmm").toString();
        model.write().save(path);

        MixSparkGaussianMixtureModel loaded = MixSparkGaussianMixtureModel.load(path);

        assertEquals(model.mixture(), loaded.mixture());
        assertEquals(model.uid(), loaded.uid());
        assertEquals("cluster", loaded.getOrDefault(loaded.predictionCol()));
        List<Row> a = model.transform(frame(values, D, null, 1)).select("cluster", "probability").collectAsList();
        List<Row> b = loaded.transform(frame(values, D, null, 1)).select("cluster", "probability").collectAsList();
        assertEquals(a, b);
        assertTrue(Files.exists(dir.resolve("gmm/metadata")) && Files.exists(dir.resolve("gmm/data")));
    }

    @Test
    void estimatorParamsAreValidatedAndPersisted(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setK(0));
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setCovarianceType("banana"));
        for (String name : CovarianceType.names()) {
            MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setCovarianceType(name.toLowerCase());
            assertEquals(CovarianceType.parse(name), CovarianceType.parse(estimator.getCovarianceType()), name);
        }
        assertEquals("EVE", new MixSparkGaussianMixture().setCovarianceType("eve").getCovarianceType());
        assertEquals("full", new MixSparkGaussianMixture().setCovarianceType("Full").getCovarianceType());
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setRegCovar(-1));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new MixSparkGaussianMixture().setFeaturesCol("nope").fit(frame(values, D, null, 1)));
        assertTrue(missing.getMessage().contains("'nope' does not exist"), missing.getMessage());

        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(7).setCovarianceType("tied").setTol(0.5);
        estimator.write().save(dir.resolve("est").toString());
        MixSparkGaussianMixture loaded = MixSparkGaussianMixture.load(dir.resolve("est").toString());
        assertEquals(7, loaded.getK());
        assertEquals("tied", loaded.getCovarianceType());
        assertEquals(0.5, (Double) loaded.getOrDefault(loaded.tol()));
    }

    @Test
    void miniBatchParamsAreValidatedPersistedAndFitWithinAHundredthOfANat(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setOptimizer("sgd"));
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setPasses(0));
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setBatchRows(0));
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setFinishIterations(-1));

        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(3).setKernel("java").setBlockSize(100)
                .setOptimizer("minibatch").setBatchRows(500).setPasses(3).setFinishIterations(0);
        estimator.write().save(dir.resolve("mini").toString());
        MixSparkGaussianMixture loaded = MixSparkGaussianMixture.load(dir.resolve("mini").toString());
        assertEquals(io.mixspark.online.MiniBatchOptions.of(500, 3, 0), loaded.miniBatchOptions());

        Dataset<Row> frame = frame(values, D, null, 2);
        double mini = estimator.fit(frame).summary().result().meanLogLikelihood();
        double batch = new MixSparkGaussianMixture().setK(3).setKernel("java").setBlockSize(100).setTol(1e-7)
                .fit(frame).summary().result().meanLogLikelihood();
        assertTrue(batch - mini < 0.01, "mini-batch " + mini + " vs batch EM " + batch);
        assertEquals(null, new MixSparkGaussianMixture().miniBatchOptions());
    }

    @Test
    void miniBatchUpdateIsValidatedPersistedAndReachesTheOptions(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setMiniBatchUpdate("exact"));
        assertEquals(io.mixspark.online.MiniBatchOptions.Update.STOCHASTIC,
                new MixSparkGaussianMixture().setOptimizer("minibatch").miniBatchOptions().update());
        new MixSparkGaussianMixture().setOptimizer("minibatch").setMiniBatchUpdate("incremental").write()
                .save(dir.resolve("incremental").toString());
        assertEquals(io.mixspark.online.MiniBatchOptions.Update.INCREMENTAL,
                MixSparkGaussianMixture.load(dir.resolve("incremental").toString()).miniBatchOptions().update());
    }

    static void assertMixturesClose(Mixture expected, Mixture actual, double relative, String what) {
        assertEquals(expected.k(), actual.k(), what);
        for (int c = 0; c < expected.k(); c++) {
            assertEquals(expected.weight(c), actual.weight(c), relative, what + " weight " + c);
            for (int a = 0; a < expected.d(); a++) {
                assertEquals(expected.mean(c)[a], actual.mean(c)[a], relative * (1 + Math.abs(expected.mean(c)[a])),
                        what + " mean " + c);
            }
            double[] ec = expected.covariance(c);
            double[] ac = actual.covariance(c);
            for (int i = 0; i < ec.length; i++) {
                assertEquals(ec[i], ac[i], relative * (1 + Math.abs(ec[i])), what + " covariance " + c);
            }
        }
    }
}
