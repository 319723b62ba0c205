package io.mixspark.select;

import static io.mixspark.testing.FitAssertions.assertSameFit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.BatchedFits;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Prior;
import io.mixspark.select.ModelSelection.Candidate;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Selection;
import io.mixspark.testing.CountingBlockData;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batched grid: every candidate as it would be fitted alone, for a fraction of the passes. */
class BatchedSelectionTest {

    private static final List<Integer> KS = List.of(1, 2, 3, 4, 5);
    private static final List<CovarianceType> TYPES = CovarianceType.multivariate();

    private static InMemoryBlockData iris() {
        Dataset iris = Fixtures.dataset("iris");
        return InMemoryBlockData.of(iris.values(), null, iris.d(), 32);
    }

    private static EmOptions base() {
        return EmOptions.builder(1, CovarianceType.FULL).nInit(3).tol(1e-6).maxIter(200).kernel("java").seed(7)
                .build();
    }

    @Test
    void everyCandidateIsTheFitAloneAndTheGridMakesAFractionOfThePasses() {
        CountingBlockData grid = new CountingBlockData(iris());
        Selection selection = ModelSelection.select(grid, KS, TYPES, base(), Criterion.BIC, FitListener.NONE);

        assertEquals(KS.size() * TYPES.size(), selection.candidates().size() + selection.failures().size());
        int alonePasses = 0;
        for (CovarianceType type : TYPES) {
            for (int k : KS) {
                String what = "k=" + k + " " + type.id();
                CountingBlockData alone = new CountingBlockData(iris());
                EmOptions options = base().toBuilder().k(k).covarianceType(type).build();
                Candidate batched = selection.candidates().stream()
                        .filter(c -> c.k() == k && c.covarianceType() == type).findFirst().orElse(null);
                if (batched != null) {
                    assertSameFit(EmFitter.fit(alone, options, FitListener.NONE), batched.result(), 1e-12, what);
                } else {
                    ModelSelection.Failure failure = selection.failures().stream()
                            .filter(f -> f.k() == k && f.covarianceType() == type).findFirst().orElseThrow();
                    RuntimeException e = assertThrows(RuntimeException.class,
                            () -> EmFitter.fit(alone, options, FitListener.NONE), what + " fails alone too");
                    assertEquals(e.getMessage(), failure.reason(), what);
                }
                alonePasses += alone.passes();
            }
        }
        assertTrue(grid.passes() * 10 < alonePasses, "the grid made " + grid.passes()
                + " passes, the fits alone " + alonePasses);
    }

    @Test
    void hierarchicalStartsAndThePriorGiveEachCandidateItsFitAloneAndShareOneTree() {
        EmOptions base = base().toBuilder().initMode(InitMode.HC).prior(Prior.DEFAULT).nInit(2).build();
        List<CovarianceType> types = List.of(CovarianceType.VVV, CovarianceType.EEE, CovarianceType.VII,
                CovarianceType.VEE);
        CountingBlockData grid = new CountingBlockData(iris());
        Selection selection = ModelSelection.select(grid, List.of(2, 3, 4), types, base, Criterion.BIC,
                FitListener.NONE);

        assertEquals(9, selection.candidates().size());
        for (Candidate c : selection.candidates()) {
            EmResult alone = EmFitter.fit(iris(), base.toBuilder().k(c.k()).covarianceType(c.covarianceType()).build(),
                    FitListener.NONE);
            assertSameFit(alone, c.result(), 1e-12, "k=" + c.k() + " " + c.covarianceType().id());
        }
        assertEquals(3, selection.failures().size(), "VEE refuses the prior");
        for (ModelSelection.Failure f : selection.failures()) {
            assertEquals(CovarianceType.VEE, f.covarianceType());
            assertEquals(ModelSelection.FailureKind.PRIOR, f.kind(), f.describe());
        }
    }

    @Test
    void aBudgetTooSmallForTwoFitsSplitsEveryRoundWithTheSameResults() {
        List<Integer> ks = List.of(2, 3);
        List<CovarianceType> types = List.of(CovarianceType.FULL, CovarianceType.DIAG);
        CountingBlockData batched = new CountingBlockData(iris());
        CountingBlockData split = new CountingBlockData(iris());
        Selection wide = ModelSelection.select(batched, ks, types, base(), Criterion.BIC, FitListener.NONE);
        Selection narrow = ModelSelection.select(split, ks, types, base(), Criterion.BIC, FitListener.NONE, 1);

        assertTrue(split.passes() > 3 * batched.passes(), split.passes() + " passes split, " + batched.passes() + " batched");
        for (int i = 0; i < wide.candidates().size(); i++) {
            assertSameFit(wide.candidates().get(i).result(), narrow.candidates().get(i).result(), 0,
                    "candidate " + i);
        }
    }

    @Test
    void aFitThatFailsNumericallyFailsWithTheMessageItHasAlone() {
        // Three distinct points in the plane, each twice: with no ridge, two full components are singular.
        double[] values = {0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1};
        InMemoryBlockData data = InMemoryBlockData.of(values, null, 2, 4);
        EmOptions base = EmOptions.builder(1, CovarianceType.FULL).regCovar(0).nInit(3).kernel("java").seed(3)
                .build();
        EmOptions singular = base.toBuilder().k(2).build();
        NumericalFailureException alone = assertThrows(NumericalFailureException.class,
                () -> EmFitter.fit(data, singular, FitListener.NONE));

        BatchedFits.Batch batch = BatchedFits.fit(data, List.of(base, singular), FitListener.NONE, 1 << 20);

        assertTrue(batch.outcomes().get(0).succeeded());
        assertInstanceOf(NumericalFailureException.class, batch.outcomes().get(1).failure());
        assertEquals(alone.getMessage(), batch.outcomes().get(1).failure().getMessage());
        Selection s = ModelSelection.select(data, List.of(1, 2), List.of(CovarianceType.FULL), base, Criterion.BIC,
                FitListener.NONE);
        assertEquals(1, s.failures().size());
        assertEquals(alone.getMessage(), s.failures().get(0).reason());
    }
}
