package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.gmm.Mixture;
import io.mixspark.metrics.HungarianAlgorithm;

/** Mixture comparisons for the federated tests. */
final class MixtureAssertions {

    private MixtureAssertions() {
    }

    /** Same type and k; weights, means and covariances within tol times max(1, |expected|). */
    static void assertMixtureClose(Mixture expected, Mixture actual, double tol, String what) {
        assertEquals(expected.covarianceType(), actual.covarianceType(), what + ": covariance type");
        assertEquals(expected.k(), actual.k(), what + ": k");
        for (int c = 0; c < expected.k(); c++) {
            close(expected.weight(c), actual.weight(c), tol, what + ": weight " + c);
            double[] em = expected.mean(c);
            double[] am = actual.mean(c);
            for (int a = 0; a < em.length; a++) {
                close(em[a], am[a], tol, what + ": mean " + c + "[" + a + "]");
            }
            double[] ec = expected.covariance(c);
            double[] ac = actual.covariance(c);
            for (int i = 0; i < ec.length; i++) {
                close(ec[i], ac[i], tol, what + ": covariance " + c + "[" + i + "]");
            }
        }
    }

    private static void close(double expected, double actual, double tol, String what) {
        double allowed = tol * Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= allowed,
                what + ": expected " + expected + " but was " + actual + " (allowed " + allowed + ")");
    }

    /** For each component of {@code truth}, the fitted component matched to it by squared mean distance. */
    static int[] matchByMeans(Mixture truth, Mixture fitted) {
        double[][] cost = new double[truth.k()][fitted.k()];
        for (int t = 0; t < truth.k(); t++) {
            for (int f = 0; f < fitted.k(); f++) {
                double[] a = truth.mean(t);
                double[] b = fitted.mean(f);
                double s = 0;
                for (int i = 0; i < a.length; i++) {
                    s += (a[i] - b[i]) * (a[i] - b[i]);
                }
                cost[t][f] = s;
            }
        }
        return HungarianAlgorithm.minimumCostAssignment(cost);
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
