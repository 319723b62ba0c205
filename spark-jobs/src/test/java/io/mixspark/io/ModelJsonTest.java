package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.EmResult;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.RandomMixtures;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** model.json round-trips every covariance type exactly and never carries NaN. */
class ModelJsonTest {

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI", "VII", "EEE"})
    void roundTripsExactly(CovarianceType type) {
        Mixture m = RandomMixtures.draw(4, 3, type, 2, new Random(type.ordinal()));
        ModelJson.Named back = ModelJson.parse(ModelJson.toJson(m, List.of("a", "b", "c"), null), "test");
        assertEquals(m, back.mixture());
        assertEquals(List.of("a", "b", "c"), back.features());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVV", "VVI", "VII", "EEE"})
    void refusesNonFiniteStatistics(CovarianceType type) {
        Mixture m = RandomMixtures.draw(2, 2, type, 2, new Random(1));
        EmResult fit = new EmResult(m, List.of(), false, Double.NaN, 10, 10, Double.NaN, Double.NaN, Double.NaN, 0,
                new double[] {Double.NaN}, "java");
        NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> ModelJson.toJson(m, List.of("a", "b"), fit));
        assertTrue(e.getMessage().contains("no model is written"));
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VVI", "VII", "EEI", "EII"})
    void wideDiagonalModelsWriteVariancesAloneAndRoundTripExactly(CovarianceType type) throws Exception {
        int d = ModelJson.FULL_MATRICES_UP_TO + 1;
        Mixture m = RandomMixtures.draw(2, d, type, 2, new Random(3));
        List<String> names = java.util.stream.IntStream.range(0, d).mapToObj(a -> "c" + a).toList();
        String text = ModelJson.toJson(m, names, null);
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        assertTrue(!root.has("covariances") && root.get("variances").get(1).size() == d, "d variances per component");
        assertEquals(m, ModelJson.parse(text, "test").mixture());
    }
}
