package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OracleApproximatingShrinkageTest {

    /** One case of reference/oas_shrinkage.json, written by make_oas_reference.py with scikit-learn. */
    record ReferenceCase(String name, int n, int d, double[] rows, double[] weights, double rho, double[] covariance) {
        @Override
        public String toString() {
            return name;
        }

        double weight(int i) {
            return weights == null ? 1.0 : weights[i];
        }
    }

    record Reference(String sklearn, String numpy, List<ReferenceCase> cases) {
    }

    static Stream<ReferenceCase> referenceCases() throws IOException {
        try (InputStream in = OracleApproximatingShrinkageTest.class.getResourceAsStream("/reference/oas_shrinkage.json")) {
            assertNotNull(in, "missing test resource reference/oas_shrinkage.json");
            Reference reference = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .readValue(in, Reference.class);
            assertEquals(8, reference.cases().size());
            return reference.cases().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void matchesScikitLearn(ReferenceCase c) {
        double n = 0;
        for (int i = 0; i < c.n(); i++) {
            n += c.weight(i);
        }
        double[] covariance = weightedCovariance(c, n);
        OracleApproximatingShrinkage.Shrunk shrunk = OracleApproximatingShrinkage.estimate(covariance, c.d(), n);
        assertEquals(c.rho(), shrunk.rho(), 1e-12, c.name() + ": rho");
        for (int i = 0; i < covariance.length; i++) {
            assertEquals(c.covariance()[i], shrunk.covariance()[i], 1e-12 * (1 + Math.abs(c.covariance()[i])),
                    c.name() + ": entry " + i);
        }
    }

    @Test
    void referenceCasesCoverTheRegimes() throws IOException {
        List<ReferenceCase> cases = referenceCases().toList();
        assertTrue(cases.stream().anyMatch(c -> c.rho() == 1.0), "a case where OAS shrinks all the way");
        assertTrue(cases.stream().anyMatch(c -> c.rho() > 0.5 && c.rho() < 1), "a heavily shrunk case");
        assertTrue(cases.stream().anyMatch(c -> c.rho() > 0 && c.rho() < 0.05), "a lightly shrunk case");
        assertTrue(cases.stream().anyMatch(c -> c.weights() != null), "a weighted case");
    }

    @Test
    void fewerThanTwoEffectiveRowsShrinkAllTheWay() {
        double[] rankOne = new double[100];
        rankOne[0] = 1;
        assertEquals(1.0, OracleApproximatingShrinkage.intensity(rankOne, 10, 1.0));
        assertEquals(1.0, OracleApproximatingShrinkage.intensity(rankOne, 10, 0.4));
        assertEquals(2 / (2.5 * 0.9), OracleApproximatingShrinkage.intensity(rankOne, 10, 1.5), 1e-12);
    }

    @Test
    void moreRowsShrinkLess() {
        double[] covariance = {4, 1.5, 0, 1.5, 2, 0.3, 0, 0.3, 1};
        double few = OracleApproximatingShrinkage.intensity(covariance, 3, 10);
        double many = OracleApproximatingShrinkage.intensity(covariance, 3, 1000);
        assertTrue(many < few && many > 0, "rho " + few + " at n = 10, " + many + " at n = 1000");
    }

    @Test
    void shrinkingKeepsTheTrace() {
        double[] covariance = {4, 1.5, 0, 1.5, 2, 0.3, 0, 0.3, 1};
        double[] shrunk = OracleApproximatingShrinkage.shrink(covariance, 3, 0.3);
        assertEquals(7.0, shrunk[0] + shrunk[4] + shrunk[8], 1e-12);
        assertEquals(0.7 * 1.5, shrunk[1], 1e-12);
    }

    @Test
    void badArgumentsAreNamed() {
        double[] covariance = {1, 0, 0, 1};
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> OracleApproximatingShrinkage.intensity(covariance, 3, 10));
        assertTrue(shape.getMessage().contains("3 x 3"), shape.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> OracleApproximatingShrinkage.intensity(covariance, 2, 0));
        assertTrue(count.getMessage().contains("got 0.0"), count.getMessage());
        IllegalArgumentException rho = assertThrows(IllegalArgumentException.class,
                () -> OracleApproximatingShrinkage.shrink(covariance, 2, 1.5));
        assertTrue(rho.getMessage().contains("got 1.5"), rho.getMessage());
    }

    /** The maximum-likelihood covariance (divisor n) of the weighted rows. */
    private static double[] weightedCovariance(ReferenceCase c, double n) {
        int d = c.d();
        double[] mean = new double[d];
        for (int i = 0; i < c.n(); i++) {
            for (int a = 0; a < d; a++) {
                mean[a] += c.weight(i) * c.rows()[i * d + a] / n;
            }
        }
        double[] s = new double[d * d];
        for (int i = 0; i < c.n(); i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    s[a * d + b] += c.weight(i) * (c.rows()[i * d + a] - mean[a]) * (c.rows()[i * d + b] - mean[b]) / n;
                }
            }
        }
        return s;
    }
}
