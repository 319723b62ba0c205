package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table with d = 30 and 150 rows per component (3 components), so each full covariance has
 * more parameters (465) than its component has rows, and two indicator-like columns that are
 * constant within each component: maximum likelihood has no positive-definite covariance to
 * give, the conjugate prior (whose scale is the whole table's covariance) does.
 */
class PriorKeepsFitsFiniteTest {

    private static final int D = 30;
    private static final int PER_COMPONENT = 150;

    private static InMemoryBlockData table() {
        Random random = new Random(30);
        double[] values = new double[3 * PER_COMPONENT * D];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < PER_COMPONENT; i++) {
                int row = c * PER_COMPONENT + i;
                for (int a = 0; a < D; a++) {
                    values[row * D + a] = a < D - 2 ? 3 * (a % 3 == c ? 1 : 0) + random.nextGaussian()
                            : a == D - 2 ? c : c * c;
                }
            }
        }
        return InMemoryBlockData.of(values, D);
    }

    private static EmOptions options(CovarianceType type, Prior prior, long seed) {
        return EmOptions.builder(3, type).regCovar(0).prior(prior).seed(seed).kernel("java").build();
    }

    @Test
    void theUnregularisedFullFitFails() {
        assertThrows(NumericalFailureException.class,
                () -> EmFitter.fit(table(), options(CovarianceType.FULL, Prior.NONE, 0), FitListener.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"VEE", "EVE", "VVE", "EVV"})
    void theModelsMclustHasNoPriorForAreRefused(String model) {
        CovarianceType type = CovarianceType.parse(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmFitter.fit(table(), options(type, Prior.DEFAULT, 0), FitListener.NONE));
        assertTrue(e.getMessage().contains("mclust has no conjugate prior for the " + model + " model"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"VVV", "VVI", "VII", "EEE"})
    void everyFitWithThePriorStaysFinite(String model) {
        CovarianceType type = CovarianceType.parse(model);
        for (long seed = 0; seed < 3; seed++) {
            // The hierarchical start takes every row here, so it does not depend on the seed.
            for (InitMode init : seed == 0 ? new InitMode[] {InitMode.KMEANS_PLUS_PLUS, InitMode.HC}
                    : new InitMode[] {InitMode.KMEANS_PLUS_PLUS}) {
                EmOptions o = options(type, Prior.DEFAULT, seed).toBuilder().initMode(init).build();
                EmResult fit = EmFitter.fit(table(), o, FitListener.NONE);
                assertTrue(Double.isFinite(fit.logLikelihood()), type + " seed " + seed + " " + init.id());
                for (int c = 0; c < fit.model().k(); c++) {
                    for (double v : fit.model().covariance(c)) {
                        assertTrue(Double.isFinite(v), type + " seed " + seed + " " + init.id());
                    }
                }
            }
        }
    }
}
