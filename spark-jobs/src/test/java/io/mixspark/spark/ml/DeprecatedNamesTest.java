package io.mixspark.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.spark.SharedSpark;
import java.nio.file.Files;
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
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names before the rename still work for one release: code written against them compiles
 * (these statements are the README's old example), fits, saves and loads, and stages and models
 * saved under the old class names load under the new ones.
 */
@SuppressWarnings("removal")
class DeprecatedNamesTest {

    @Test
    void theOldApiCompilesFitsSavesAndLoads(@TempDir Path dir) throws Exception {
        Mixture truth = RandomMixtures.draw(2, 3, CovarianceType.FULL, 4, new Random(1));
        double[] x = truth.sample(400, new Random(2), null);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(x, i * 3, i * 3 + 3))));
        }
        Dataset<Row> vectors = SharedSpark.session().createDataFrame(rows,
                new StructType().add("features", new VectorUDT(), false));

        GaussianMixture estimator = new GaussianMixture().setK(2).setCovarianceType("diag").setSeed(1)
                .setKernel("java");
        GaussianMixtureModel model = estimator.fit(vectors);
        GaussianMixtureSummary summary = model.summary();
        assertTrue(summary.iterations() >= 1);
        model.write().save(dir.resolve("model").toString());
        GaussianMixtureModel again = GaussianMixtureModel.load(dir.resolve("model").toString());
        assertEquals(model.mixture(), again.mixture());
        assertEquals(model.uid(), again.uid());

        MixSparkGaussianMixtureModel current = new MixSparkGaussianMixture().setK(2).setCovarianceType("diag")
                .setSeed(1).setKernel("java").fit(vectors);
        assertEquals(current.mixture(), model.mixture(), "the alias fits the same model");

        estimator.write().save(dir.resolve("estimator").toString());
        GaussianMixture loaded = GaussianMixture.load(dir.resolve("estimator").toString());
        assertEquals(2, loaded.getK());
        assertEquals("diag", loaded.getCovarianceType());
        new MixSparkGaussianMixture().setK(4).write().save(dir.resolve("new-estimator").toString());
        assertEquals(4, GaussianMixture.load(dir.resolve("new-estimator").toString()).getK());
    }

    @Test
    void aModelSavedUnderTheOldClassNameLoads(@TempDir Path dir) throws Exception {
        SharedSpark.session();
        Mixture one = new Mixture(CovarianceType.FULL, new double[] {1}, new double[][] {{0, 0}},
                new double[][] {{1, 0, 0, 1}});
        Path path = dir.resolve("old-model");
        new MixSparkGaussianMixtureModel("saved-before", one).write().save(path.toString());
        try (var files = Files.list(path.resolve("metadata"))) {
            for (Path part : files.toList()) {
                String name = part.getFileName().toString();
                if (name.endsWith(".crc")) {
                    Files.delete(part);
                } else if (name.startsWith("part-")) {
                    Files.writeString(part, Files.readString(part).replace(
                            MixSparkGaussianMixtureModel.class.getName(), "io.mixspark.spark.ml.GaussianMixtureModel"));
                }
            }
        }
        MixSparkGaussianMixtureModel loaded = MixSparkGaussianMixtureModel.load(path.toString());
        assertEquals(one, loaded.mixture());
        assertEquals("saved-before", loaded.uid());
        assertEquals(one, GaussianMixtureModel.load(path.toString()).mixture());
    }
}
