package io.mixspark.spark.ml;

import static io.mixspark.spark.ml.MixSparkGaussianMixtureTest.assertMixturesClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.Missingness;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.MissingValues;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.Scoring;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The estimator and model on rows with missing values (NaN): missing {@code em}, {@code skip} and {@code error}. */
class MissingValuesEstimatorTest {

    private static final int D = 3;
    private static SparkSession spark;
    /** Rows of a 3-component mixture, a fifth of the values missing, and a few rows missing every value. */
    private static double[] values;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(11));
        values = truth.sample(2000, new Random(12), null);
        Random holes = new Random(13);
        for (int i = 0; i < values.length; i++) {
            if (holes.nextDouble() < 0.2) {
                values[i] = Double.NaN;
            }
        }
        for (int row : new int[] {5, 700, 1999}) {
            Arrays.fill(values, row * D, row * D + D, Double.NaN);
        }
    }

    private static Dataset<Row> frame(double[] rows, int partitions) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.length / D; i++) {
            out.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(rows, i * D, i * D + D))));
        }
        return spark.createDataFrame(out, new StructType().add("features", new VectorUDT(), false))
                .repartition(partitions);
    }

    private static MixSparkGaussianMixture estimator(CovarianceType type) {
        return new MixSparkGaussianMixture().setK(3).setCovarianceType(type.id()).setSeed(5).setTol(1e-8)
                .setKernel("java").setMissing("em");
    }

    @Test
    void theModelDoesNotDependOnThePartitioningAndEqualsTheInMemoryFit() {
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(5).tol(1e-8).kernel("java").build();
        EmResult local = EmFitter.fit(InMemoryBlockData.of(values, D), options, FitListener.NONE);
        for (int partitions : new int[] {1, 3, 8}) {
            MixSparkGaussianMixtureModel model = estimator(CovarianceType.FULL).fit(frame(values, partitions));
            assertMixturesClose(local.model(), model.mixture(), 1e-9, partitions + " partitions");
            assertEquals(local.iterations(), model.summary().iterations(), partitions + " partitions");
            assertEquals(local.logLikelihood(), model.summary().logLikelihood(),
                    1e-9 * Math.abs(local.logLikelihood()), partitions + " partitions");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVI", "VII", "EEE"})
    void everyCovarianceTypeEqualsTheInMemoryFit(CovarianceType type) {
        EmOptions options = EmOptions.builder(3, type).seed(5).tol(1e-8).kernel("java").build();
        EmResult local = EmFitter.fit(InMemoryBlockData.of(values, D), options, FitListener.NONE);
        MixSparkGaussianMixtureModel model = estimator(type).setBlockSize(100).fit(frame(values, 4));
        assertMixturesClose(local.model(), model.mixture(), 1e-9, type.id());
    }

    @Test
    void theSummaryCarriesWhereValuesWereMissing() {
        List<String> warnings = new ArrayList<>();
        MixSparkGaussianMixtureModel model = estimator(CovarianceType.DIAG).setListener(new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        }).fit(frame(values, 2));
        Missingness expected = InMemoryBlockData.of(values, D).aggregate(Missingness.pass(D));
        Missingness actual = model.summary().missingness().orElseThrow();
        assertEquals(expected.rowsWithMissing(), actual.rowsWithMissing());
        assertEquals(expected.rowsAllMissing(), actual.rowsAllMissing());
        assertTrue(actual.rowsAllMissing() >= 3);
        assertEquals(expected.patterns(), actual.patterns());
        assertArrayEquals(expected.missingShare(), actual.missingShare(), 1e-15);
        assertEquals(2000 - actual.rowsAllMissing(), model.summary().rows());
        assertTrue(warnings.contains(actual.rowsAllMissing() + " rows have no observed feature value and were left"
                + " out of the fit"), warnings.toString());
    }

    @Test
    void transformScoresRowsOnTheirObservedValuesAndImputeFillsTheRest() {
        MixSparkGaussianMixtureModel model = estimator(CovarianceType.FULL).fit(frame(values, 2));
        Mixture m = model.mixture();
        List<Row> rows = model.transform(frame(values, 1)).select("features", "probability", "prediction")
                .collectAsList();
        assertEquals(2000, rows.size());
        for (Row row : rows) {
            double[] x = ((Vector) row.get(0)).toArray();
            DataBlock one = DataBlock.of(x, D);
            double[] p = ((Vector) row.get(1)).toArray();
            assertArrayEquals(Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, m, one), p, 1e-12);
            assertEquals(((Vector) row.get(1)).argmax(), row.getInt(2));
            if (Arrays.stream(x).allMatch(Double::isNaN)) {
                assertArrayEquals(m.weights(), p, 1e-12, "a row with nothing observed keeps the prior");
            }
            double[] imputed = model.impute(Vectors.dense(x)).toArray();
            assertArrayEquals(MissingValues.impute(JavaLikelihoodKernel.INSTANCE, one, m), imputed, 0);
            for (int a = 0; a < D; a++) {
                assertTrue(Double.isFinite(imputed[a]));
                if (!Double.isNaN(x[a])) {
                    assertEquals(x[a], imputed[a], 0, "observed values stay as they are");
                }
            }
        }
    }

    @Test
    void skipLeavesRowsWithMissingValuesOut() {
        List<Double> complete = new ArrayList<>();
        for (int i = 0; i < values.length / D; i++) {
            double[] row = Arrays.copyOfRange(values, i * D, i * D + D);
            if (Arrays.stream(row).noneMatch(Double::isNaN)) {
                Arrays.stream(row).forEach(complete::add);
            }
        }
        double[] kept = complete.stream().mapToDouble(Double::doubleValue).toArray();
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).seed(5).tol(1e-8).kernel("java").build();
        EmResult local = EmFitter.fit(InMemoryBlockData.of(kept, D), options, FitListener.NONE);
        MixSparkGaussianMixtureModel model = estimator(CovarianceType.FULL).setMissing("skip").fit(frame(values, 3));
        assertMixturesClose(local.model(), model.mixture(), 1e-9, "skip");
        assertEquals(kept.length / D, model.summary().rows());
        assertTrue(model.summary().missingness().isEmpty());
    }

    @Test
    void byDefaultAMissingValueStopsTheFit() {
        Exception e = assertThrows(Exception.class, () -> new MixSparkGaussianMixture().setK(3).setKernel("java")
                .fit(frame(values, 2)));
        assertTrue(messages(e).contains("is NaN in row") && messages(e).contains("set missing to 'em' or 'skip'"),
                messages(e));
    }

    @Test
    void floatStorageCannotHoldMissingValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> estimator(CovarianceType.FULL).setStorage("float").fit(frame(values, 2)));
        assertEquals("storage 'float' cannot hold missing values; use storage 'double' with missing 'em'",
                e.getMessage());
    }

    @Test
    void theMissingParamIsValidatedAndPersisted(@TempDir Path dir) throws Exception {
        MixSparkGaussianMixture plain = new MixSparkGaussianMixture();
        assertEquals("error", plain.getOrDefault(plain.missing()));
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setMissing("impute"));
        MixSparkGaussianMixture em = new MixSparkGaussianMixture().setMissing("EM");
        em.write().save(dir.resolve("gmm").toString());
        MixSparkGaussianMixture loaded = MixSparkGaussianMixture.load(dir.resolve("gmm").toString());
        assertEquals("em", loaded.getOrDefault(loaded.missing()));
    }

    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append('\n');
        }
        return out.toString();
    }
}
