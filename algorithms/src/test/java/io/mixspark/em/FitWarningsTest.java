package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class FitWarningsTest {

    @Test
    void aFullCovarianceNeedsOneRowMoreThanItsDimension() {
        assertTrue(FitWarnings.of(fit(CovarianceType.FULL, 3, new double[] {0.5, 0.5}, 8)).isEmpty());
        List<FitWarnings.Warning> warnings = FitWarnings.of(fit(CovarianceType.FULL, 3, new double[] {0.5, 0.5}, 6));
        assertEquals(1, warnings.size());
        assertEquals(FitWarnings.TOO_FEW_ROWS, warnings.get(0).code());
        assertTrue(warnings.get(0).message().startsWith("2 of 2 components rest on fewer than the 4 rows a VVV (full)"
                + " covariance in d = 3 needs (the fewest: component 0, 3.0 rows)"), warnings.get(0).message());
    }

    @Test
    void oneThinComponentIsNamed() {
        List<FitWarnings.Warning> warnings = FitWarnings.of(fit(CovarianceType.FULL, 2, new double[] {0.9, 0.1}, 20));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).message().startsWith("component 1 rests on 2.0 rows, fewer than the 3 its VVV (full)"
                + " covariance in d = 2 needs"), warnings.get(0).message());
    }

    @Test
    void diagonalAndSphericalNeedTwoRows() {
        for (CovarianceType type : List.of(CovarianceType.DIAG, CovarianceType.SPHERICAL)) {
            assertEquals(1, FitWarnings.of(fit(type, 5, new double[] {1}, 1)).size(), type.id());
            assertTrue(FitWarnings.of(fit(type, 5, new double[] {1}, 2)).isEmpty(), type.id());
        }
    }

    @Test
    void aTiedCovarianceNeedsKPlusDRowsInAll() {
        assertEquals(1, FitWarnings.of(fit(CovarianceType.TIED, 3, new double[] {0.5, 0.5}, 4)).size());
        assertTrue(FitWarnings.of(fit(CovarianceType.TIED, 3, new double[] {0.5, 0.5}, 5)).isEmpty());
    }

    @Test
    void aShrunkCovarianceIsDeterminedOnFewRows() {
        // The same thin fits as above, with OAS shrinkage: its target holds the covariance up, not the ridge.
        EmResult thin = fit(CovarianceType.FULL, 3, new double[] {0.5, 0.5}, 6);
        assertTrue(FitWarnings.of(thin.withShrinkageIntensities(new double[] {0.8, 0.9})).isEmpty());
        EmResult tied = fit(CovarianceType.TIED, 3, new double[] {0.5, 0.5}, 4);
        assertTrue(FitWarnings.of(tied.withShrinkageIntensities(new double[] {0.7, 0.7})).isEmpty());
    }

    @Test
    void roundingAtTheBoundaryIsNoWarning() {
        // 0.29 of 100 rows is 29 only up to rounding: exactly what a full covariance in d = 28 needs.
        EmResult fit = fit(CovarianceType.FULL, 28, new double[] {0.29, 0.71}, 100);
        assertTrue(fit.model().weight(0) * 100 < 29, "the product rounds below the boundary");
        assertTrue(FitWarnings.of(fit).isEmpty());
    }

    private static EmResult fit(CovarianceType type, int d, double[] weights, long rows) {
        int k = weights.length;
        double[][] means = new double[k][d];
        double[][][] covariances = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            means[c][0] = c;
            for (int a = 0; a < d; a++) {
                covariances[c][a][a] = 1;
            }
        }
        Mixture model = Mixture.fromFullCovariances(type, weights, means, covariances);
        return new EmResult(model, List.of(), true, -1.0 * rows, rows, rows, 0, 0, 0, 0, new double[] {-1}, "java");
    }
}
