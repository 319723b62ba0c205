package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.ConjugatePrior;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.DataMomentsPass;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.mclust.MclustReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * mclust's d30 table (d = 30, 3 components of 150 rows; src/test/resources/mclust): from mclust's
 * hierarchical starts at G = 3 and 7..9, the unregularised VVV fit fails from G = 7 on (a class of the
 * start has fewer rows than d + 1), while every MAP fit is finite and ends at mclust's
 * {@code me(..., prior = priorControl())} log-likelihood.
 */
class MclustD30PriorTest {

    private static final MclustReference.Data D30 = MclustReference.data("d30");
    private static final InMemoryBlockData BLOCKS = InMemoryBlockData.of(D30.values(), D30.d());

    static List<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        MclustReference.Table table = MclustReference.prior("d30");
        for (String model : List.of("VVV", "VVI", "VII", "EEE", "EII", "EEI", "VEI", "EVI", "EEV", "VEV")) {
            // The true G, and the G at which the unregularised VVV fit fails.
            for (int g : new int[] {3, 7, 8, 9}) {
                out.add(Arguments.of(model, g, table.cell(model, g)));
            }
        }
        return out;
    }

    private static Mixture start(int g, CovarianceType type, ConjugatePrior prior) {
        int[] labels = MclustReference.starts("d30").start(g).labels();
        SufficientStatistics stats = SufficientStatistics.zero(g, D30.d(), type.needsFullScatter(),
                new double[g * D30.d()]);
        for (int i = 0; i < labels.length; i++) {
            stats.addRowTotals(1, 0, 0);
            stats.addToComponent(labels[i], 1, D30.values(), i * D30.d());
        }
        return MStep.update(stats, type, 0, prior, w -> { });
    }

    @Test
    void withoutThePriorVvvFailsFromSevenComponentsOn() {
        for (int g = 7; g <= 9; g++) {
            int k = g;
            assertThrows(NumericalFailureException.class, () -> start(k, CovarianceType.VVV, null), "G = " + g);
        }
    }

    @ParameterizedTest(name = "{0} G={1}")
    @MethodSource("cells")
    void everyMapFitIsFiniteAndMclusts(String model, int g, MclustReference.Cell mclust) {
        assertTrue(!mclust.failed(), "mclust fits " + model + " G = " + g + " with the prior");
        CovarianceType type = CovarianceType.parse(model);
        ConjugatePrior prior = DataMomentsPass.defaultPrior(BLOCKS.aggregate(new DataMomentsPass(new double[D30.d()])),
                g);
        EmOptions options = EmOptions.builder(g, type).maxIter(1_000_000).tol(1e-13).regCovar(0).kernel("java")
                .prior(Prior.DEFAULT).build();

        EmResult fit = EmFitter.run(BLOCKS, start(g, type, prior), options, "java", 0, FitListener.NONE);

        double loglik = fit.meanLogLikelihood() * D30.n();
        assertTrue(Double.isFinite(loglik));
        assertEquals(mclust.loglik(), loglik, 1e-6 * Math.abs(mclust.loglik()), model + " G = " + g);
    }
}
