package io.mixspark.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;

/** Comparisons of sufficient statistics and mixtures, field by field. */
public final class StatisticsAssertions {

    private StatisticsAssertions() {
    }

    /**
     * Every field of two statistics agrees: shape, centres and row count exactly; counts, sums,
     * scatters and the totals to {@code relative} (0 for bitwise equality). Sums and scatters are
     * compared relative to the largest magnitude in their array, since single entries may cancel.
     */
    public static void assertSameStatistics(SufficientStatistics expected, SufficientStatistics actual,
                                            double relative, boolean compareRows) {
        assertEquals(expected.isEmpty(), actual.isEmpty(), "isEmpty");
        if (expected.isEmpty()) {
            return;
        }
        assertEquals(expected.k(), actual.k(), "k");
        assertEquals(expected.d(), actual.d(), "d");
        assertEquals(expected.fullScatter(), actual.fullScatter(), "fullScatter");
        assertArrayEquals(expected.centresView(), actual.centresView(), 0.0, "centres");
        if (compareRows) {
            assertEquals(expected.rows(), actual.rows(), "rows");
        }
        for (int c = 0; c < expected.k(); c++) {
            assertClose(expected.count(c), actual.count(c), relative * Math.abs(expected.count(c)), "count " + c);
        }
        assertArrayClose(expected.sumsView(), actual.sumsView(), relative, "sums");
        assertArrayClose(expected.scattersView(), actual.scattersView(), relative, "scatters");
        assertClose(expected.logLikelihood(), actual.logLikelihood(), relative * Math.abs(expected.logLikelihood()),
                "logLikelihood");
        assertClose(expected.totalWeight(), actual.totalWeight(), relative * Math.abs(expected.totalWeight()),
                "totalWeight");
        assertClose(expected.sumLogMaxResponsibility(), actual.sumLogMaxResponsibility(),
                relative * Math.abs(expected.sumLogMaxResponsibility()), "sumLogMaxResponsibility");
    }

    /** Arrays agree entrywise to {@code relative} times the largest magnitude in {@code expected}. */
    public static void assertArrayClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], relative * scale, what + "[" + i + "]");
        }
    }

    /** Two mixtures agree in k, type, weights, means and covariances to {@code relative}. */
    public static void assertSameMixture(Mixture expected, Mixture actual, double relative) {
        assertEquals(expected.k(), actual.k(), "k");
        assertEquals(expected.d(), actual.d(), "d");
        assertEquals(expected.covarianceType(), actual.covarianceType(), "covariance type");
        for (int c = 0; c < expected.k(); c++) {
            assertClose(expected.weight(c), actual.weight(c), relative * expected.weight(c), "weight " + c);
            double[] em = expected.mean(c);
            double[] am = actual.mean(c);
            double[][] ec = expected.covarianceMatrix(c);
            double[][] ac = actual.covarianceMatrix(c);
            for (int a = 0; a < em.length; a++) {
                double spread = Math.sqrt(ec[a][a]);
                assertClose(em[a], am[a], relative * (Math.abs(em[a]) + spread), "mean " + c + "[" + a + "]");
                for (int b = 0; b < em.length; b++) {
                    assertClose(ec[a][b], ac[a][b], relative * spread * Math.sqrt(ec[b][b]),
                            "covariance " + c + "[" + a + "][" + b + "]");
                }
            }
        }
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        if (tolerance == 0) {
            assertEquals(expected, actual, what);
        } else {
            assertTrue(Math.abs(expected - actual) <= tolerance,
                    what + ": expected " + expected + " but was " + actual + " (tolerance " + tolerance + ")");
        }
    }
}
