package io.mixspark.spark.ml.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.EmOptions;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.sdp.SdpSettings;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SharedSpark;
import io.mixspark.spark.ml.FederatedGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixture;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import io.mixspark.spark.ml.SdpClustering;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared Params: found by Spark, one doc per name, defaults, validators, copies and saves. */
class SharedParamsTest {

    private static final Mixture ONE = new Mixture(CovarianceType.FULL, new double[] {1},
            new double[][] {{0, 0}}, new double[][] {{1, 0, 0, 1}});

    private static List<Params> stages() {
        return List.of(new MixSparkGaussianMixture(), new SdpClustering(), new FederatedGaussianMixture(),
                new MixSparkGaussianMixtureModel("m", ONE));
    }

    @Test
    void sparkDiscoversEveryDeclaredParamWithItsDefault() {
        Map<String, Set<String>> expected = Map.of(
                "MixSparkGaussianMixture", Set.of("k", "covarianceType", "maxIter", "tol", "seed", "initMode", "nInit",
                        "knownLabelCol", "labelWeight", "hcSample", "prior", "covarianceShrinkage", "optimizer",
                        "batchRows", "passes", "finishIterations", "miniBatchUpdate", "regCovar", "weightCol", "featuresCol", "predictionCol", "probabilityCol", "kernel",
                        "blockSize", "storage", "precision", "missing", "aggregationDepth"),
                "SdpClustering", Set.of("k", "method", "solver", "sketchSize", "tol", "maxIter", "seed", "kernel",
                        "blockSize", "featuresCol", "predictionCol", "probabilityCol", "ilaRoundStarts",
                        "ilaRandomStarts", "ilaEmRestarts", "ilaMaxRounds"),
                "FederatedGaussianMixture", Set.of("k", "covarianceType", "mode", "siteCol", "rounds", "tol", "seed",
                        "localK", "localKRange", "epsilon", "delta", "clip", "regCovar", "kernel", "blockSize",
                        "weightCol", "featuresCol", "predictionCol", "probabilityCol"),
                "MixSparkGaussianMixtureModel", Set.of("featuresCol", "predictionCol", "probabilityCol"));
        for (Params stage : stages()) {
            Set<String> names = new TreeSet<>();
            for (Param<?> p : stage.params()) {
                names.add(p.name());
                assertEquals(stage.uid(), p.parent(), p.name());
                assertTrue(stage.hasDefault(p), stage.getClass().getSimpleName() + "." + p.name() + " has no default");
            }
            assertEquals(new TreeSet<>(expected.get(stage.getClass().getSimpleName())), names);
        }
    }

    @Test
    void aSharedParamHasOneDocEverywhere() {
        Map<String, String> docs = new HashMap<>();
        for (Params stage : stages()) {
            for (Param<?> p : stage.params()) {
                String before = docs.putIfAbsent(p.name(), p.doc());
                if (before != null) {
                    assertEquals(before, p.doc(), p.name() + " is documented differently in "
                            + stage.getClass().getSimpleName());
                }
            }
        }
    }

    @Test
    void accessorsReturnTheSameParamAndSettersChainOnTheConcreteType() {
        MixSparkGaussianMixture gmm = new MixSparkGaussianMixture();
        assertSame(gmm.k(), gmm.k());
        MixSparkGaussianMixture chained = gmm.setK(5).setTol(1e-4).setKernel("java").setNInit(2);
        assertSame(gmm, chained);
        assertEquals(5, gmm.getK());
        assertEquals(1e-4, gmm.getTol());
        SdpClustering sdp = new SdpClustering().setK(3).setSolver("dense");
        assertEquals(3, sdp.getK());
    }

    @Test
    void defaultsAreEachEstimatorsOwn() {
        assertEquals(EmOptions.DEFAULT_TOL, new MixSparkGaussianMixture().getTol());
        assertEquals(EmOptions.DEFAULT_MAX_ITER, new MixSparkGaussianMixture().getMaxIter());
        assertEquals(SdpSettings.DEFAULT_TOLERANCE, new SdpClustering().getTol());
        assertEquals(SdpSettings.DEFAULT_MAX_ITERATIONS, new SdpClustering().getMaxIter());
        assertEquals(BlockPacker.DEFAULT_BLOCK_ROWS, new FederatedGaussianMixture().getBlockSize());
        assertEquals("auto", new FederatedGaussianMixture().getKernel());
        assertEquals("", new FederatedGaussianMixture().getWeightCol());
    }

    @Test
    void validatorsRefuseBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setKernel("banana"));
        assertThrows(IllegalArgumentException.class, () -> new MixSparkGaussianMixture().setKernel("avx1024"));
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setBlockSize(0));
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setTol(-1));
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setMaxIter(0));
        // The SDP solvers need a tolerance in (0, 1); EM takes any tolerance >= 0.
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setTol(0));
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setTol(5));
        assertEquals(0.0, new MixSparkGaussianMixture().setTol(0).getTol());
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setLocalKRange("6..1"));
        assertThrows(IllegalArgumentException.class, () -> new FederatedGaussianMixture().setLocalKRange("a..b"));
        FederatedGaussianMixture ranged = new FederatedGaussianMixture().setLocalKRange("2..5");
        assertEquals("2..5", ranged.getOrDefault(ranged.localKRange()));
        for (String name : List.of("auto", "java", "native-avx512", "avx2", "native-scalar", "AVX512")) {
            assertTrue(Kernels.isKnownName(name), name);
        }
        for (String name : List.of("", "native-", "native-java", "gpu")) {
            assertFalse(Kernels.isKnownName(name), name);
        }
    }

    @Test
    void sdpClusteringCarriesIlaParamsIntoItsSettingsForIlaSdpOnly() {
        SdpClustering ila = new SdpClustering().setK(3).setMethod("ila-sdp").setIlaRoundStarts(2)
                .setIlaRandomStarts(0).setIlaEmRestarts(3).setIlaMaxRounds(4);
        assertEquals(new SdpSettings.IlaSearch(2, 0, 3, 4), ila.settings().ila());
        assertEquals(SdpSettings.IlaSearch.DEFAULTS, new SdpClustering().setK(3).setMethod("ila-sdp").settings().ila());
        IllegalArgumentException kmeans = assertThrows(IllegalArgumentException.class,
                () -> new SdpClustering().setK(3).setIlaMaxRounds(4).settings());
        assertTrue(kmeans.getMessage().contains("ilaMaxRounds applies only with method ila-sdp"), kmeans.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setIlaRoundStarts(0));
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setIlaRandomStarts(-1));
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setIlaEmRestarts(-1));
        assertThrows(IllegalArgumentException.class, () -> new SdpClustering().setIlaMaxRounds(0));
    }

    @Test
    void everyStageSurvivesJavaSerialisation() throws Exception {
        for (Params stage : stages()) {
            stage.set(stage.getParam("featuresCol"), "v");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(stage);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                Params back = (Params) in.readObject();
                assertEquals(stage.uid(), back.uid());
                assertEquals("v", back.getOrDefault(back.getParam("featuresCol")));
                assertEquals(stage.explainParams(), back.explainParams());
            }
        }
    }

    @Test
    void copiesKeepSetValuesAndTakeExtras() {
        SdpClustering sdp = new SdpClustering().setK(4).setTol(1e-3);
        SdpClustering copy = sdp.copy(ParamMap.empty().put(sdp.seed(), 9L));
        assertEquals(4, copy.getK());
        assertEquals(1e-3, copy.getTol());
        assertEquals(9L, copy.getSeed());
        assertEquals(0L, sdp.getSeed());
    }

    @Test
    void stagesSaveAndLoadWithTheirParams(@TempDir Path dir) throws Exception {
        SharedSpark.session();
        FederatedGaussianMixture fed = new FederatedGaussianMixture().setK(6).setMode("em").setSiteCol("site")
                .setKernel("java").setBlockSize(64);
        fed.write().save(dir.resolve("fed").toString());
        FederatedGaussianMixture loadedFed = FederatedGaussianMixture.load(dir.resolve("fed").toString());
        assertEquals(6, loadedFed.getK());
        assertEquals("site", loadedFed.getSiteCol());
        assertEquals(64, loadedFed.getBlockSize());

        SdpClustering sdp = new SdpClustering().setK(3).setMethod("ila-sdp").setMaxIter(50).setIlaRoundStarts(2);
        sdp.write().save(dir.resolve("sdp").toString());
        SdpClustering loadedSdp = SdpClustering.load(dir.resolve("sdp").toString());
        assertEquals("ila-sdp", loadedSdp.getOrDefault(loadedSdp.method()));
        assertEquals(50, loadedSdp.getMaxIter());
        assertEquals(2, loadedSdp.settings().ila().roundStarts());
        assertEquals(SdpSettings.DEFAULT_TOLERANCE, loadedSdp.getTol());
    }

    @Test
    void everyHasInterfaceIsFoundByReflection() {
        // Spark discovers params through public no-argument methods returning a Param.
        long found = Arrays.stream(MixSparkGaussianMixture.class.getMethods())
                .filter(m -> Param.class.isAssignableFrom(m.getReturnType()) && m.getParameterCount() == 0).count();
        assertEquals(new MixSparkGaussianMixture().params().length, found);
    }
}
