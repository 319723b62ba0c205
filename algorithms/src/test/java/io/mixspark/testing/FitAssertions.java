package io.mixspark.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mixspark.em.EmResult;

/** Whether two EM results are the same fit. */
public final class FitAssertions {

    private FitAssertions() {
    }

    /**
     * The same iterations, convergence and best restart (or one tied with it), and the same numbers to {@code tol}
     * relative (log-likelihood, criteria, every restart's final value; means and covariances to
     * 100 tol absolute).
     */
    public static void assertSameFit(EmResult expected, EmResult actual, double tol, String what) {
        assertEquals(expected.iterations(), actual.iterations(), what + ": iterations");
        assertEquals(expected.converged(), actual.converged(), what + ": converged");
        // Restarts that end in the same optimum (every restart of k = 1) tie up to rounding, which
        // the order of a sum over partitions decides: either is the best then.
        double[] finals = expected.restartLogLikelihoods();
        assertEquals(finals[expected.bestRestart()], finals[actual.bestRestart()],
                tol * Math.abs(finals[expected.bestRestart()]), what + ": best restart " + actual.bestRestart()
                        + " where " + expected.bestRestart() + " was");
        assertEquals(expected.logLikelihood(), actual.logLikelihood(), tol * Math.abs(expected.logLikelihood()),
                what + ": log-likelihood");
        assertEquals(expected.bic(), actual.bic(), tol * Math.abs(expected.bic()), what + ": BIC");
        assertEquals(expected.icl(), actual.icl(), tol * Math.abs(expected.icl()), what + ": ICL");
        double[] restarts = expected.restartLogLikelihoods();
        assertEquals(restarts.length, actual.restartLogLikelihoods().length, what + ": restarts");
        for (int r = 0; r < restarts.length; r++) {
            assertEquals(restarts[r], actual.restartLogLikelihoods()[r], tol * Math.abs(restarts[r]),
                    what + ": restart " + r);
        }
        assertEquals(expected.model().k(), actual.model().k(), what + ": k");
        for (int c = 0; c < expected.model().k(); c++) {
            assertArrayEquals(expected.model().mean(c), actual.model().mean(c), tol * 100, what + ": mean " + c);
            assertArrayEquals(expected.model().covariance(c), actual.model().covariance(c), tol * 100,
                    what + ": covariance " + c);
        }
    }
}
