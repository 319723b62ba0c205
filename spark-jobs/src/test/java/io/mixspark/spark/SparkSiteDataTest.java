package io.mixspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.InMemorySiteData;
import io.mixspark.data.RowCounts;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.federated.LocalFit;
import io.mixspark.federated.LocalFitOptions;
import io.mixspark.federated.LocalFits;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
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

/** Site data on Spark against the in-memory site data: the same statistics, one job per pass. */
class SparkSiteDataTest {

    private static final int D = 2;
    private static SparkSession spark;
    private static double[] values;
    private static int[] siteIds;

    @BeforeAll
    static void data() {
        spark = SharedSpark.session();
        Random random = new Random(5);
        values = RandomMixtures.draw(2, D, CovarianceType.FULL, 3, random).sample(1000, random, null);
        siteIds = new int[1000];
        for (int i = 0; i < siteIds.length; i++) {
            siteIds[i] = random.nextInt(10) == 0 ? 3 : random.nextInt(2) + 1;
        }
    }

    /** Sites as an integer column, whose string form names the site. */
    private static Dataset<Row> frame(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < siteIds.length; i++) {
            rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(values, i * D, i * D + D)), siteIds[i]));
        }
        StructType schema = new StructType().add("x", new VectorUDT(), false).add("region", DataTypes.IntegerType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    @Test
    void aggregatesEverySiteInOneJobAsTheInMemorySitesDo() {
        String[] labels = Arrays.stream(siteIds).mapToObj(String::valueOf).toArray(String[]::new);
        InMemorySiteData reference = InMemorySiteData.split(values, D, labels, 50);
        Mixture model = RandomMixtures.draw(2, D, CovarianceType.FULL, 3, new Random(6));
        try (SparkSiteData data = SparkSiteData.fromDataFrame(frame(3), "x", "region", null, 16, 2)) {
            assertEquals(List.of("1", "2", "3"), data.sites());
            assertEquals(reference.rowCounts(), data.rowCounts());

            Map<String, BlockAggregator<SufficientStatistics>> perSite = new LinkedHashMap<>();
            perSite.put("3", new ExpectationPass(model, "java"));
            perSite.put("1", new ExpectationPass(model, "java"));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            sc.setJobGroup("federated-site-data-test", "one pass", false);
            Map<String, SufficientStatistics> got;
            try {
                got = data.aggregateBySite(perSite);
            } finally {
                sc.clearJobGroup();
            }
            assertEquals(1, sc.statusTracker().getJobIdsForGroup("federated-site-data-test").length);
            assertEquals(List.of("1", "3"), List.copyOf(got.keySet()));
            Map<String, SufficientStatistics> expected = reference.aggregateBySite(perSite);
            for (String s : got.keySet()) {
                assertEquals(expected.get(s).logLikelihood(), got.get(s).logLikelihood(),
                        1e-10 * Math.abs(expected.get(s).logLikelihood()), s);
                assertEquals(expected.get(s).rows(), got.get(s).rows(), s);
                for (int c = 0; c < 2; c++) {
                    assertEquals(expected.get(s).count(c), got.get(s).count(c), 1e-9, s + " count " + c);
                }
            }
            RowCounts viaView = data.site("2").aggregate(RowCounts.pass());
            assertEquals(reference.rowCounts().get("2"), viaView);
            assertEquals(1000, data.pooled().aggregate(RowCounts.pass()).rows());
            assertThrows(IllegalArgumentException.class, () -> data.site("4"));
            assertThrows(IllegalArgumentException.class, () -> data.aggregateBySite(Map.of("9", RowCounts.pass())));
        }
    }

    @Test
    void localFitsInOneTaskPerSiteEqualLocalFitsRunAsSparkJobs() {
        LocalFitOptions options = LocalFitOptions.fixed(2, CovarianceType.FULL).withKernel("java").withSeed(4);
        try (SparkSiteData data = SparkSiteData.fromDataFrame(frame(3), "x", "region", null, 32, 2)) {
            List<LocalFit> inTasks = data.fitSitesInTasks(options, FitListener.NONE).fits();
            List<LocalFit> asJobs = LocalFits.fit(data, options, FitListener.NONE).fits();
            assertEquals(3, inTasks.size());
            for (int s = 0; s < 3; s++) {
                assertEquals(asJobs.get(s).site(), inTasks.get(s).site());
                assertEquals(asJobs.get(s).rows(), inTasks.get(s).rows());
                EmResult a = asJobs.get(s).result();
                EmResult b = inTasks.get(s).result();
                assertEquals(a.iterations(), b.iterations(), a.toString());
                assertEquals(a.logLikelihood(), b.logLikelihood(), 1e-9 * Math.abs(a.logLikelihood()));
                for (int c = 0; c < 2; c++) {
                    assertArrayEquals(a.model().mean(c), b.model().mean(c), 1e-9);
                }
            }
        }
    }

    @Test
    void aSiteWhoseFitFailsIsDroppedAndListedByBothLocalFitters() {
        List<Row> rows = new ArrayList<>(frame(2).collectAsList());
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(Vectors.dense(2.5, -1), 9));
        }
        StructType schema = new StructType().add("x", new VectorUDT(), false).add("region", DataTypes.IntegerType);
        LocalFitOptions options = LocalFitOptions.fixed(2, CovarianceType.FULL).withKernel("java");
        List<String> warnings = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        try (SparkSiteData data = SparkSiteData.fromDataFrame(spark.createDataFrame(rows, schema).repartition(2), "x",
                "region", null, 32, 2)) {
            for (LocalFits.Result result : List.of(data.fitSitesInTasks(options, listener),
                    LocalFits.fit(data, options, listener))) {
                assertEquals(List.of("1", "2", "3"), result.fits().stream().map(LocalFit::site).toList());
                assertEquals(1, result.dropped().size());
                assertEquals("9", result.dropped().get(0).site());
                assertEquals(40, result.dropped().get(0).rows());
                assertTrue(result.dropped().get(0).reason().contains("distinct rows"), result.dropped().toString());
            }
        }
        assertEquals(2, warnings.stream().filter(w -> w.startsWith("site '9' could not be fitted and was dropped"))
                .count(), warnings.toString());
    }

    @Test
    void withoutASiteColumnEveryPartitionIsASite() {
        Dataset<Row> df = frame(4);
        List<Integer> sizes = df.javaRDD().glom().map(List::size).collect();
        try (SparkSiteData data = SparkSiteData.fromDataFrame(df, "x", null, null, 64, 2)) {
            assertEquals(List.of("0", "1", "2", "3"), data.sites());
            for (int p = 0; p < 4; p++) {
                assertEquals(sizes.get(p).longValue(), data.rowCounts().get(String.valueOf(p)).rows(),
                        "partition " + p);
            }
            List<DataBlock> blocks = data.blocks().values().collect();
            assertEquals(1000, blocks.stream().mapToInt(DataBlock::rows).sum());
            InMemoryBlockData all = new InMemoryBlockData(blocks, D);
            assertEquals(1000, all.aggregate(RowCounts.pass()).rows());
            assertTrue(blocks.stream().allMatch(b -> b.rows() <= 64));
        }
    }

    @Test
    void rejectsRowsItCannotUse() {
        StructType schema = new StructType().add("x", new VectorUDT(), false).add("site", DataTypes.StringType);
        Dataset<Row> nullSite = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), "a"),
                RowFactory.create(Vectors.dense(3, 4), null)), schema);
        Exception e = assertThrows(Exception.class,
                () -> SparkSiteData.fromDataFrame(nullSite, "x", "site", null, 8, 2).close());
        assertTrue(String.valueOf(rootMessage(e)).contains("site column 'site' is null"), rootMessage(e));
    }

    private static String rootMessage(Throwable t) {
        String message = t.getMessage();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException) {
                message = c.getMessage();
            }
        }
        return message;
    }
}
