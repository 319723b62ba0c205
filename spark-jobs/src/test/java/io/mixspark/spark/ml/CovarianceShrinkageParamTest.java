package io.mixspark.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.EmFitter;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceShrinkage;
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
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Estimator's {@code covarianceShrinkage} Param: what it becomes, what it refuses, and that it fits as EM does. */
class CovarianceShrinkageParamTest {

    private static final int D = 6;

    @Test
    void theDefaultIsNoneAndTheSetterReachesTheEmOptions() {
        MixSparkGaussianMixture gmm = new MixSparkGaussianMixture().setK(2);
        assertEquals(CovarianceShrinkage.NONE, gmm.emOptions().shrinkage());
        gmm.setCovarianceShrinkage("OAS");
        assertEquals("oas", gmm.getOrDefault(gmm.covarianceShrinkage()));
        assertEquals(CovarianceShrinkage.OAS, gmm.copy(ParamMap.empty()).emOptions().shrinkage());
    }

    @Test
    void badValuesAndCombinationsAreRefused() {
        MixSparkGaussianMixture gmm = new MixSparkGaussianMixture().setK(2);
        assertThrows(IllegalArgumentException.class, () -> gmm.setCovarianceShrinkage("ledoit-wolf"));
        gmm.setCovarianceShrinkage("oas").setCovarianceType("diag");
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class, gmm::emOptions);
        assertTrue(model.getMessage().contains("applies to the VVV (full) and EEE (tied) models"), model.getMessage());
        gmm.setCovarianceType("full").setPrior("default");
        IllegalArgumentException prior = assertThrows(IllegalArgumentException.class, gmm::emOptions);
        assertTrue(prior.getMessage().contains("both regularise the covariances"), prior.getMessage());
    }

    @Test
    void fitsAsInMemoryEmAndSurvivesSaving(@TempDir Path dir) throws Exception {
        Mixture truth = RandomMixtures.draw(2, D, CovarianceType.FULL, 3, new Random(8));
        double[] x = truth.sample(60, new Random(9), null);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(x, i * D, i * D + D))));
        }
        Dataset<Row> vectors = SharedSpark.session().createDataFrame(rows,
                new StructType().add("features", new VectorUDT(), false));
        MixSparkGaussianMixture estimator = new MixSparkGaussianMixture().setK(2).setSeed(4).setKernel("java")
                .setCovarianceShrinkage("oas");
        EmResult spark = estimator.fit(vectors).summary().result();
        EmResult alone = EmFitter.fit(InMemoryBlockData.of(x, D), estimator.emOptions(), FitListener.NONE);
        assertTrue(spark.shrunk());
        assertEquals(alone.meanLogLikelihood(), spark.meanLogLikelihood(), 1e-9);
        for (int c = 0; c < 2; c++) {
            assertEquals(alone.shrinkageIntensities()[c], spark.shrinkageIntensities()[c], 1e-9);
        }

        estimator.write().save(dir.resolve("estimator").toString());
        MixSparkGaussianMixture loaded = MixSparkGaussianMixture.load(dir.resolve("estimator").toString());
        assertEquals(CovarianceShrinkage.OAS, loaded.emOptions().shrinkage());

        IllegalArgumentException minibatch = assertThrows(IllegalArgumentException.class,
                () -> estimator.copy(ParamMap.empty()).setOptimizer("minibatch").fit(vectors));
        assertTrue(minibatch.getMessage().contains("give the covariance shrinkage oas no effective count"),
                minibatch.getMessage());
    }
}
