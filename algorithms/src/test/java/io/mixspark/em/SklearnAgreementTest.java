package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Agreement with scikit-learn's GaussianMixture on iris, wine and breast cancer, for every
 * covariance type (reference values: src/test/resources/reference/make_sklearn_reference.py).
 */
class SklearnAgreementTest {

    static List<Arguments> cases() {
        return Fixtures.sklearnCases();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyIterationMatchesSklearnFromTheSameStart(String name, CovarianceType type) {
        Dataset data = Fixtures.dataset(name);
        JsonNode reference = Fixtures.json("reference/em_" + name + ".json");
        JsonNode c = reference.get("cases").get(type.alias());
        double[] expected = Fixtures.doubles(c.get("meanLogLikelihood"));
        Mixture start = Fixtures.mixture(c.get("initial"), type);
        EmOptions options = EmOptions.builder(start.k(), type).maxIter(expected.length).tol(0)
                .regCovar(reference.get("regCovar").asDouble()).initialModel(start).kernel("java").build();

        EmResult result = EmFitter.fit(InMemoryBlockData.of(data.values(), data.d()), options, FitListener.NONE);

        assertEquals(expected.length, result.history().size());
        for (int j = 0; j < expected.length; j++) {
            double actual = result.history().get(j).meanLogLikelihood();
            assertEquals(expected[j], actual, 1e-9 * Math.abs(expected[j]),
                    name + " " + type.id() + " iteration " + (j + 1));
        }
        Mixture sklearnFinal = Fixtures.mixture(c.get("final"), type);
        assertClose(sklearnFinal, result.model(), 1e-6);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void tenRestartsDoAtLeastAsWellAsSklearnsBestOfTen(String name, CovarianceType type) {
        Dataset data = Fixtures.dataset(name);
        JsonNode best = Fixtures.json("reference/em_" + name + ".json").get("bestOfRestarts");
        EmOptions options = EmOptions.builder(3, type).nInit(best.get("nInit").asInt()).tol(best.get("tol").asDouble())
                .maxIter(best.get("maxIter").asInt()).seed(7).kernel("java").build();

        EmResult result = EmFitter.fit(InMemoryBlockData.of(data.values(), data.d()), options, FitListener.NONE);

        double sklearn = best.get("meanLogLikelihood").get(type.alias()).asDouble();
        assertTrue(result.meanLogLikelihood() >= sklearn - 1e-3,
                name + " " + type.id() + ": ours " + result.meanLogLikelihood() + ", sklearn's best " + sklearn);
    }

    /** Parameters agree to a relative tolerance, components in the same order (same start). */
    static void assertClose(Mixture expected, Mixture actual, double relative) {
        assertEquals(expected.k(), actual.k());
        for (int c = 0; c < expected.k(); c++) {
            assertEquals(expected.weight(c), actual.weight(c), relative * expected.weight(c), "weight " + c);
            double[] em = expected.mean(c);
            double[] am = actual.mean(c);
            for (int a = 0; a < em.length; a++) {
                assertEquals(em[a], am[a], relative * (Math.abs(em[a]) + 1e-3), "mean " + c + "[" + a + "]");
            }
            double[][] ec = expected.covarianceMatrix(c);
            double[][] ac = actual.covarianceMatrix(c);
            for (int a = 0; a < ec.length; a++) {
                double scale = Math.sqrt(ec[a][a]);
                for (int b = 0; b < ec.length; b++) {
                    double tolerance = relative * scale * Math.sqrt(ec[b][b]);
                    assertEquals(ec[a][b], ac[a][b], tolerance, "covariance " + c + "[" + a + "][" + b + "]");
                }
            }
        }
    }
}
