package io.mixspark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.select.ModelSelection.Candidate;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Selection;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BIC grid search on synthetic_bic.csv (a known 4-component full-covariance mixture in 3-d)
 * against scikit-learn's BIC for the same grid (reference/bic_selection.json).
 */
class ModelSelectionTest {

    private static final List<Integer> KS = IntStream.rangeClosed(1, 8).boxed().toList();
    private static final List<CovarianceType> TYPES = CovarianceType.scikitLearn();

    private static Selection selection;
    private static JsonNode reference;

    /** Candidates allowed to need more restarts than scikit-learn's 5 (3 of 32 do with seed 0). */
    private static final int MAX_UNLUCKY = 4;

    @BeforeAll
    static void selectOverTheGrid() {
        reference = Fixtures.json("reference/bic_selection.json");
        selection = ModelSelection.select(data(), KS, TYPES, baseOptions(), Criterion.BIC, FitListener.NONE);
    }

    private static InMemoryBlockData data() {
        Dataset data = Fixtures.dataset("synthetic_bic");
        return InMemoryBlockData.of(data.values(), data.d());
    }

    /** scikit-learn's settings for the reference: 5 restarts, tol 1e-6, 1000 iterations, reg 1e-6. */
    private static EmOptions baseOptions() {
        return EmOptions.builder(1, CovarianceType.FULL).nInit(5).tol(1e-6).maxIter(1000).regCovar(1e-6)
                .kernel("java").seed(0).build();
    }

    private static Candidate candidate(int k, CovarianceType type) {
        return selection.candidates().stream().filter(c -> c.k() == k && c.covarianceType() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no candidate k=" + k + " " + type.id()));
    }

    @Test
    void everyCandidateOfTheGridIsFitted() {
        assertTrue(selection.failures().isEmpty(), selection.failures().toString());
        assertEquals(KS.size() * TYPES.size(), selection.candidates().size());
        assertEquals(Criterion.BIC, selection.criterion());
        for (Candidate c : selection.candidates()) {
            assertEquals(c.k(), c.result().model().k(), "k=" + c.k() + " " + c.covarianceType().id());
            assertEquals(c.covarianceType(), c.result().model().covarianceType());
        }
    }

    @Test
    void bicPicksTheSameModelAsScikitLearn() {
        JsonNode chosen = reference.get("chosen");
        assertEquals(chosen.get("k").asInt(), selection.best().k());
        assertEquals(CovarianceType.parse(chosen.get("covarianceType").asText()), selection.best().covarianceType());
        assertEquals(reference.get("trueK").asInt(), selection.best().k());
    }

    @Test
    void theBestCandidateHasTheSmallestBic() {
        double smallest = selection.candidates().stream().mapToDouble(c -> c.result().bic()).min().orElseThrow();
        assertEquals(smallest, selection.best().result().bic(), 0.0);
        assertEquals(smallest, Criterion.BIC.of(selection.best().result()), 0.0);
    }

    /**
     * Our fits are at least as good as scikit-learn's: BIC no worse than 0.1 % above theirs.
     *
     * <p>Both sides keep the best of 5 restarts, and on the misspecified candidates (diagonal or
     * spherical covariances for rotated clusters, k above the truth) EM has many local optima, so
     * either side can be the luckier one: with seed 0 a few candidates end in a worse optimum,
     * while other seeds reach scikit-learn's BIC to all printed digits. Such a candidate must
     * reach scikit-learn's BIC with 20 restarts, and at most {@value #MAX_UNLUCKY} candidates may
     * need that, so a systematically weaker initialisation or EM still fails this test.
     */
    @Test
    void everyCandidateBicIsAtMostScikitLearnsPlusATenthOfAPercent() {
        JsonNode rows = reference.get("bic");
        assertEquals(32, rows.size());
        StringBuilder worse = new StringBuilder();
        int unlucky = 0;
        for (JsonNode row : rows) {
            int k = row.get("k").asInt();
            CovarianceType type = CovarianceType.parse(row.get("covarianceType").asText());
            double sklearn = row.get("bic").asDouble();
            double tolerance = 1e-3 * Math.abs(sklearn);
            double ours = candidate(k, type).result().bic();
            if (ours <= sklearn + tolerance) {
                continue;
            }
            unlucky++;
            EmOptions more = baseOptions().toBuilder().k(k).covarianceType(type).nInit(20).build();
            double retried = EmFitter.fit(data(), more, FitListener.NONE).bic();
            if (!(retried <= sklearn + tolerance)) {
                worse.append(String.format(" k=%d %s: ours %.3f (20 restarts %.3f), sklearn %.3f;", k, type.id(),
                        ours, retried, sklearn));
            }
        }
        assertEquals("", worse.toString(), "candidates with a worse BIC than scikit-learn's");
        assertTrue(unlucky <= MAX_UNLUCKY, unlucky + " candidates needed 20 restarts to match scikit-learn");
    }

    @Test
    void resultCriteriaFollowTheClosedForms() {
        for (Candidate c : selection.candidates()) {
            EmResult r = c.result();
            long p = r.model().parameterCount();
            assertEquals(1500, r.rows());
            assertEquals(-2 * r.logLikelihood() + p * Math.log(1500), r.bic(), 1e-9 * Math.abs(r.bic()));
            assertEquals(-2 * r.logLikelihood() + 2 * p, r.aic(), 1e-9 * Math.abs(r.aic()));
            assertTrue(r.icl() >= r.bic(), "ICL adds a non-negative entropy term");
        }
    }

    @Test
    void aicAndIclSelectTheCandidateSmallestByThatCriterion() {
        Dataset iris = Fixtures.dataset("iris");
        EmOptions base = EmOptions.builder(1, CovarianceType.FULL).tol(1e-4).kernel("java").seed(1).build();
        for (Criterion criterion : List.of(Criterion.AIC, Criterion.ICL)) {
            Selection s = ModelSelection.select(InMemoryBlockData.of(iris.values(), iris.d()), List.of(1, 2, 3, 4),
                    List.of(CovarianceType.FULL, CovarianceType.DIAG), base, criterion, FitListener.NONE);
            assertEquals(8, s.candidates().size());
            double smallest = s.candidates().stream().mapToDouble(c -> criterion.of(c.result())).min().orElseThrow();
            assertEquals(smallest, criterion.of(s.best().result()), 0.0, criterion.name());
            assertEquals(criterion, s.criterion());
        }
        assertEquals(Criterion.AIC, Criterion.parse(" aic "));
        assertThrows(IllegalArgumentException.class, () -> Criterion.parse("mdl"));
    }

    @Test
    void anEmptyGridIsRejected() {
        EmOptions base = EmOptions.builder(1, CovarianceType.FULL).kernel("java").build();
        InMemoryBlockData data = InMemoryBlockData.of(new double[] {0, 1, 2, 3}, 1);
        assertThrows(IllegalArgumentException.class,
                () -> ModelSelection.select(data, List.of(), TYPES, base, Criterion.BIC, FitListener.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> ModelSelection.select(data, KS, List.of(), base, Criterion.BIC, FitListener.NONE));
    }

    @Test
    void candidatesThatCannotBeFittedAreReportedNotThrown() {
        EmOptions base = EmOptions.builder(1, CovarianceType.DIAG).kernel("java").build();
        InMemoryBlockData data = InMemoryBlockData.of(new double[] {0, 1, 2, 3}, 1);

        Selection s = ModelSelection.select(data, List.of(1, 2, 6), List.of(CovarianceType.DIAG), base,
                Criterion.BIC, FitListener.NONE);

        assertEquals(2, s.candidates().size());
        assertEquals(1, s.failures().size());
        assertEquals(6, s.failures().get(0).k());
        assertEquals(CovarianceType.DIAG, s.failures().get(0).covarianceType());
        assertTrue(s.failures().get(0).reason().contains("needs at least 6 rows"), s.failures().get(0).reason());
        assertTrue(s.partial());
    }

    @Test
    void informationCriteriaMatchHandComputedValues() {
        // log L = -100, p = 5 parameters, n = 50 rows.
        double bic = InformationCriteria.bic(-100, 5, 50);
        assertEquals(200 + 5 * 3.912023005428146, bic, 1e-12);
        assertEquals(210.0, InformationCriteria.aic(-100, 5), 0.0);
        assertEquals(bic + 7.0, InformationCriteria.icl(bic, -3.5), 1e-12);
        // A perfect fit with no parameters costs nothing; one parameter on one row costs log 1 = 0.
        assertEquals(0.0, InformationCriteria.bic(0, 0, 10), 0.0);
        assertEquals(4.0, InformationCriteria.bic(-2, 1, 1), 0.0);
        // Weighted rows: n is the total weight, not a count.
        assertEquals(10 + 2 * Math.log(2.5), InformationCriteria.bic(-5, 2, 2.5), 1e-12);
    }

    @Test
    void parameterCountsOfTheReferenceGridMatchTheTextbook() {
        int d = 3;
        int[] perType = new int[4];
        for (Candidate c : selection.candidates()) {
            int k = c.k();
            long expected = (k - 1) + (long) k * d + switch (c.covarianceType().storage()) {
                case FULL -> k * 6L;
                case DIAG -> (long) k * d;
                case SPHERICAL -> k;
                case TIED -> 6L;
            };
            assertEquals(expected, c.result().model().parameterCount(), "k=" + k + " " + c.covarianceType().id());
            perType[CovarianceType.scikitLearn().indexOf(c.covarianceType())]++;
        }
        assertEquals("[8, 8, 8, 8]", Arrays.toString(perType));
    }
}
