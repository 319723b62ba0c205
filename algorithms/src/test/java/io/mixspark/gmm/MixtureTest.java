package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.testing.TestMixtures;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Validation, conversions, parameter counts and sampling of {@link Mixture}. */
class MixtureTest {

    private static final double[][] TWO_MEANS = {{0, 0}, {3, 1}};
    private static final double[][] TWO_FULL = {{1, 0.2, 0.2, 2}, {0.5, 0, 0, 0.5}};

    private static IllegalArgumentException rejected(CovarianceType type, double[] weights, double[][] means,
                                                     double[][] covariances) {
        return assertThrows(IllegalArgumentException.class, () -> new Mixture(type, weights, means, covariances));
    }

    private static void assertMentions(IllegalArgumentException e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '"
                    + fragment + "'");
        }
    }

    @Test
    void zeroComponentsAreRejected() {
        IllegalArgumentException e = rejected(CovarianceType.FULL, new double[0], new double[0][], new double[0][]);
        assertMentions(e, "0");
    }

    @Test
    void weightsNotSummingToOneAreRejectedWithTheirSum() {
        IllegalArgumentException e = rejected(CovarianceType.FULL, new double[] {0.5, 0.4}, TWO_MEANS, TWO_FULL);
        assertMentions(e, "sum to 1", "0.9");
    }

    @Test
    void negativeAndNonFiniteWeightsAreRejectedByIndexAndValue() {
        assertMentions(rejected(CovarianceType.FULL, new double[] {1.25, -0.25}, TWO_MEANS, TWO_FULL),
                "weight 1", "-0.25");
        assertMentions(rejected(CovarianceType.FULL, new double[] {Double.NaN, 1}, TWO_MEANS, TWO_FULL),
                "weight 0", "NaN");
    }

    @Test
    void weightsWithinToleranceAreRenormalisedExactly() {
        Mixture m = new Mixture(CovarianceType.FULL, new double[] {0.5, 0.5 + 1e-7}, TWO_MEANS, TWO_FULL);
        assertEquals(1.0, m.weight(0) + m.weight(1), 1e-15);
        assertEquals(Math.log(m.weight(1)), m.logWeight(1), 0.0);
    }

    @Test
    void nonPositiveDefiniteCovarianceIsRejectedByComponent() {
        double[][] covariances = {{1, 0, 0, 1}, {1, 2, 2, 1}}; // eigenvalues 3 and -1
        assertMentions(rejected(CovarianceType.FULL, new double[] {0.5, 0.5}, TWO_MEANS, covariances),
                "covariance 1", "positive definite");
        assertMentions(rejected(CovarianceType.DIAG, new double[] {0.5, 0.5}, TWO_MEANS,
                new double[][] {{1, 1}, {1, 0}}), "covariance 1", "0.0");
        assertMentions(rejected(CovarianceType.SPHERICAL, new double[] {0.5, 0.5}, TWO_MEANS,
                new double[][] {{-2}, {1}}), "covariance 0", "-2.0");
    }

    @Test
    void asymmetricCovarianceIsRejectedWithThePosition() {
        double[][] covariances = {{1, 0.3, 0.2, 1}, {1, 0, 0, 1}};
        assertMentions(rejected(CovarianceType.FULL, new double[] {0.5, 0.5}, TWO_MEANS, covariances),
                "covariance 0", "symmetric", "(1, 0)");
    }

    @Test
    void wrongLengthsAreRejectedWithTheCounts() {
        double[] w = {0.5, 0.5};
        assertMentions(rejected(CovarianceType.FULL, w, new double[][] {{0, 0}}, TWO_FULL), "2", "1 means");
        assertMentions(rejected(CovarianceType.FULL, w, TWO_MEANS, new double[][] {TWO_FULL[0]}), "1 covariances");
        assertMentions(rejected(CovarianceType.FULL, w, new double[][] {{0, 0}, {1, 1, 1}}, TWO_FULL),
                "mean 1", "3 values", "expected 2");
        assertMentions(rejected(CovarianceType.FULL, w, TWO_MEANS, new double[][] {{1, 0, 0}, {1, 0, 0, 1}}),
                "covariance 0", "4 values", "got 3");
        assertMentions(rejected(CovarianceType.DIAG, w, TWO_MEANS, new double[][] {{1, 1}, {1, 1, 1}}),
                "covariance 1", "got 3");
        assertMentions(rejected(CovarianceType.SPHERICAL, w, TWO_MEANS, new double[][] {{1}, {1, 1}}),
                "covariance 1", "needs 1", "got 2");
    }

    @Test
    void nonFiniteMeansAndCovariancesAreRejectedWithTheIndex() {
        double[] w = {0.5, 0.5};
        assertMentions(rejected(CovarianceType.FULL, w, new double[][] {{0, 0}, {1, Double.NaN}}, TWO_FULL),
                "mean 1", "NaN", "index 1");
        assertMentions(rejected(CovarianceType.DIAG, w, TWO_MEANS,
                new double[][] {{1, Double.POSITIVE_INFINITY}, {1, 1}}), "covariance 0", "Infinity");
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void fromFullCovariancesRoundTripsThroughCovarianceMatrix(CovarianceType type) {
        Random random = new Random(21);
        int k = 3;
        int d = 4;
        double[][][] full = new double[k][][];
        double[][] means = new double[k][];
        for (int c = 0; c < k; c++) {
            means[c] = TestMixtures.rows(random, 1, d, 3.0);
            full[c] = switch (type.storage()) {
                case FULL -> TestMixtures.spd(random, d);
                case TIED -> c == 0 ? TestMixtures.spd(random, d) : full[0];
                case DIAG -> diagonalOf(TestMixtures.spd(random, d));
                case SPHERICAL -> TestMixtures.scaledIdentity(0.5 + c, d);
            };
        }
        double[] weights = TestMixtures.weights(random, k);

        Mixture m = Mixture.fromFullCovariances(type, weights, means, full);

        assertEquals(k, m.k());
        assertEquals(d, m.d());
        for (int c = 0; c < k; c++) {
            assertArrayEquals(means[c], m.mean(c), 0.0);
            double[][] back = m.covarianceMatrix(c);
            for (int a = 0; a < d; a++) {
                assertArrayEquals(full[c][a], back[a], 0.0, type + " component " + c + " row " + a);
            }
            assertEquals(weights[c], m.weight(c), 1e-15);
        }
        Mixture again = Mixture.fromFullCovariances(type, m.weights(), m.means(), matricesOf(m));
        for (int c = 0; c < k; c++) {
            assertArrayEquals(m.covariance(c), again.covariance(c), 0.0, "stored covariance " + c);
            assertArrayEquals(m.mean(c), again.mean(c), 0.0, "mean " + c);
            assertEquals(m.weight(c), again.weight(c), 1e-15, "weight " + c);
        }
    }

    @Test
    void fromFullCovariancesRejectsMatricesWithoutTheStructureOfTheType() {
        double[][][] notDiagonal = {{{4, 0}, {0, 2}}, {{1, 0.5}, {0.5, 3}}};
        double[][][] unequalVariances = {{{4, 0}, {0, 4}}, {{1, 0}, {0, 3}}};
        double[][][] differentTied = {{{4, 1}, {1, 2}}, {{4, 1}, {1, 2.5}}};
        double[] w = {0.5, 0.5};

        IllegalArgumentException diag = assertThrows(IllegalArgumentException.class,
                () -> Mixture.fromFullCovariances(CovarianceType.DIAG, w, TWO_MEANS, notDiagonal));
        assertMentions(diag, "covariance 1", "diagonal");
        IllegalArgumentException spherical = assertThrows(IllegalArgumentException.class,
                () -> Mixture.fromFullCovariances(CovarianceType.SPHERICAL, w, TWO_MEANS, unequalVariances));
        assertMentions(spherical, "covariance 1", "1.0", "3.0");
        IllegalArgumentException tied = assertThrows(IllegalArgumentException.class,
                () -> Mixture.fromFullCovariances(CovarianceType.TIED, w, TWO_MEANS, differentTied));
        assertMentions(tied, "covariance 1");
        // The full type keeps any symmetric positive-definite matrix.
        Mixture full = Mixture.fromFullCovariances(CovarianceType.FULL, w, TWO_MEANS, differentTied);
        assertArrayEquals(new double[] {4, 1, 1, 2.5}, full.covariance(1), 0.0);
    }

    /**
     * A tied mixture shares one covariance; building it must still not write into the caller's
     * array of covariances.
     */
    @Test
    void constructorDoesNotModifyTheCallersCovarianceArray() {
        double[] first = {1, 0.2, 0.2, 2};
        double[] second = {1, 0.2, 0.2, 2};
        double[][] covariances = {first, second};

        new Mixture(CovarianceType.TIED, new double[] {0.5, 0.5}, TWO_MEANS, covariances);

        assertTrue(covariances[0] == first && covariances[1] == second,
                "new Mixture(TIED, ...) replaced elements of the caller's covariances array");
    }

    /** Mixtures are immutable: writing into the caller's arrays afterwards must not reach the model. */
    @Test
    void tiedMixtureCannotBeChangedThroughTheArraysItWasBuiltFrom() {
        double[][] covariances = {{1, 0.2, 0.2, 2}, {1, 0.2, 0.2, 2}};
        Mixture m = new Mixture(CovarianceType.TIED, new double[] {0.5, 0.5}, TWO_MEANS, covariances);

        covariances[0][0] = 99;
        covariances[1][0] = 99;

        assertEquals(1.0, m.covariance(0)[0], "component 0's covariance changed through the caller's array");
        assertEquals(1.0, m.covarianceMatrix(1)[0][0], "component 1's covariance changed through the caller's array");
    }

    @Test
    void parameterCountsAreTheTextbookCounts() {
        int k = 5;
        int d = 7;
        long shared = (k - 1) + (long) k * d;
        long full = (long) d * (d + 1) / 2;
        assertEquals(shared + k * full, parameterCount(CovarianceType.FULL, k, d));
        assertEquals(shared + (long) k * d, parameterCount(CovarianceType.DIAG, k, d));
        assertEquals(shared + k, parameterCount(CovarianceType.SPHERICAL, k, d));
        assertEquals(shared + full, parameterCount(CovarianceType.TIED, k, d));
        // Hand-counted: k=2, d=3 full is 1 weight + 6 means + 2 * 6 covariances = 19.
        assertEquals(19, parameterCount(CovarianceType.FULL, 2, 3));
        assertEquals(1 + 6 + 6, parameterCount(CovarianceType.TIED, 2, 3));
        assertEquals(1 + 6 + 6, parameterCount(CovarianceType.DIAG, 2, 3));
        assertEquals(1 + 6 + 2, parameterCount(CovarianceType.SPHERICAL, 2, 3));
        // One component in one dimension: a mean and a variance.
        for (CovarianceType type : CovarianceType.scikitLearn()) {
            assertEquals(2, parameterCount(type, 1, 1), type.id());
        }
    }

    private static long parameterCount(CovarianceType type, int k, int d) {
        return TestMixtures.mixture(new Random(k * 31L + d), type, k, d, 1.0).parameterCount();
    }

    @Test
    void sampleMatchesTheMixtureWithinFewStandardErrors() {
        double[] weights = {0.3, 0.7};
        double[][] means = {{-2, 1, 0.5}, {4, -1, 10}};
        double[][][] covariances = {
            {{1.0, 0.5, 0.0}, {0.5, 2.0, -0.3}, {0.0, -0.3, 0.5}},
            {{0.25, 0.0, 0.1}, {0.0, 1.0, 0.0}, {0.1, 0.0, 4.0}},
        };
        Mixture m = Mixture.fromFullCovariances(CovarianceType.FULL, weights, means, covariances);
        int n = 200_000;
        int d = 3;
        int[] labels = new int[n];

        double[] x = m.sample(n, new Random(22), labels);

        assertEquals(n * d, x.length);
        for (int c = 0; c < 2; c++) {
            int nc = 0;
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                if (labels[i] == c) {
                    nc++;
                    for (int a = 0; a < d; a++) {
                        mean[a] += x[i * d + a];
                    }
                }
            }
            double weightSe = Math.sqrt(weights[c] * (1 - weights[c]) / n);
            assertEquals(weights[c], (double) nc / n, 5 * weightSe, "weight " + c);
            for (int a = 0; a < d; a++) {
                mean[a] /= nc;
                double se = Math.sqrt(covariances[c][a][a] / nc);
                assertEquals(means[c][a], mean[a], 5 * se, "mean " + c + "[" + a + "]");
            }
            double[][] cov = new double[d][d];
            for (int i = 0; i < n; i++) {
                if (labels[i] == c) {
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            cov[a][b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
                        }
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double s = covariances[c][a][a] * covariances[c][b][b] + covariances[c][a][b] * covariances[c][a][b];
                    double se = Math.sqrt(s / nc);
                    assertEquals(covariances[c][a][b], cov[a][b] / (nc - 1), 5 * se,
                            "covariance " + c + "[" + a + "][" + b + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void sampleIsReproducibleAndRejectsNegativeCounts(CovarianceType type) {
        Mixture m = TestMixtures.mixture(new Random(23), type, 3, 2, 2.0);
        assertArrayEquals(m.sample(100, new Random(5), null), m.sample(100, new Random(5), null), 0.0);
        assertEquals(0, m.sample(0, new Random(5), null).length);
        assertThrows(IllegalArgumentException.class, () -> m.sample(-1, new Random(5), null));
    }

    private static double[][] diagonalOf(double[][] m) {
        double[][] out = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            out[i][i] = m[i][i];
        }
        return out;
    }

    private static double[][][] matricesOf(Mixture m) {
        double[][][] out = new double[m.k()][][];
        for (int c = 0; c < m.k(); c++) {
            out[c] = m.covarianceMatrix(c);
        }
        return out;
    }
}
