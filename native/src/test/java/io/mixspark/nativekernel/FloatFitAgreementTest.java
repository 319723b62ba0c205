package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.LogLikelihoodPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Precision;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole fits in float arithmetic against double from the same start, through every backend, on the
 * foundation's datasets (iris, wine, breast cancer; scikit-learn's reference start, full
 * covariances, as many iterations as double takes to converge to 1e-10) and on generated benchmark
 * data (the rows {@code bench} draws, as SyntheticData does on one partition; 20 iterations from
 * EM's own start). Asserted: the final mean log-likelihood, as the float fit reports it and as the
 * double kernel scores the float fit's model, within {@link #AGREEMENT} relative of the double
 * fit's; and EM monotone to within a fall: no iteration's mean log-likelihood below the best before
 * it by more than the case's bound, relative.
 *
 * <p>The fall bounds were measured on starts not asserted here (every backend): generated data,
 * seeds 11-20, d = 16 and 64, K = 8, 20 iterations: worst 1.7e-9; iris and wine from EM's own start,
 * seeds 2-6, run to 2000 iterations: worst 7.5e-8 (1.25 u, float's unit roundoff u = 6e-8), where
 * the changes are below float's resolution and the log-likelihood wobbles by a rounding; breast
 * cancer, seeds 2-6: worst 3.8e-6. Breast cancer's full-covariance fit is degenerate (mean
 * log-likelihood +40.9, a component nearly singular), and float rounding of the quadratic form grows
 * with the covariance's condition number: there the float fit ends 1.5e-6 to 2.3e-6 relative above
 * the double fit (its model, scored in double, is the better one), so the 1e-6 target is not met
 * on that dataset and {@link #DEGENERATE_AGREEMENT} is asserted instead.
 */
class FloatFitAgreementTest {

    /** Falls allowed on well-conditioned fits: 4 u (worst measured 1.25 u). */
    static final double DIP = 4 * Math.ulp(1.0f) / 2;
    /** Falls allowed on breast cancer's degenerate fit (worst measured 3.8e-6). */
    static final double DEGENERATE_DIP = 1e-5;
    static final double AGREEMENT = 1e-6;
    /** Breast cancer: float ends 1.5e-6 to 2.3e-6 above double (see the class comment). */
    static final double DEGENERATE_AGREEMENT = 4e-6;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : new String[] {"avx512", "avx2", "scalar", "java"}) {
            for (String data : new String[] {"iris", "wine", "breast_cancer", "bench d=16 k=8", "bench d=64 k=8"}) {
                out.add(Arguments.of(Named.of(backend, backend), data));
            }
        }
        return out;
    }

    /** The data, the start, the iterations at most and the tolerance of one case. */
    record Case(String name, double[] values, int d, Mixture start, int iterations, double tol, double regCovar) {
        boolean degenerate() {
            return name.equals("breast_cancer");
        }
    }

    static Case of(String name, long seed) {
        if (name.startsWith("bench")) {
            String[] parts = name.split("[ =]");
            int d = Integer.parseInt(parts[2]);
            int k = Integer.parseInt(parts[4]);
            // As BenchCommand and SyntheticData draw them, on one partition.
            Mixture truth = RandomMixtures.draw(k, d, CovarianceType.FULL, 3, new Random(seed));
            double[] values = truth.sample(d > 32 ? 5000 : 20000, new Random(seed * 1_000_003L), null);
            EmOptions startOptions = EmOptions.builder(k, CovarianceType.FULL).seed(seed).kernel("java").build();
            Mixture start = EmFitter.initialMixture(InMemoryBlockData.of(values, d), startOptions, 0,
                    FitListener.NONE);
            return new Case(name, values, d, start, 20, 0, EmOptions.DEFAULT_REG_COVAR);
        }
        Fixtures.Dataset data = Fixtures.dataset(name);
        JsonNode reference = Fixtures.json("reference/em_" + name + ".json");
        JsonNode c = reference.get("cases").get("full");
        Mixture start = Fixtures.mixture(c.get("initial"), CovarianceType.FULL);
        // To convergence: scikit-learn's iteration count stops breast cancer while it still climbs
        // by 5e-4 a step, where the two trajectories are a fraction of a step apart.
        return new Case(name, data.values(), data.d(), start, 2000, 1e-10, reference.get("regCovar").asDouble());
    }

    static EmResult fit(Case c, String backend, Precision precision) {
        EmOptions options = EmOptions.builder(c.start().k(), CovarianceType.FULL).maxIter(c.iterations()).tol(c.tol())
                .regCovar(c.regCovar()).initialModel(c.start()).kernel(backend).precision(precision).build();
        return EmFitter.fit(InMemoryBlockData.of(c.values(), c.d()), options, FitListener.NONE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void floatFitEndsWithinOneInAMillionOfDoubleAndClimbs(String backend, String data) {
        LikelihoodKernel kernel = FloatArithmeticAgreementTest.backend(backend, Precision.FLOAT);
        Case c = of(data, 1);
        EmResult exact = fit(c, backend, Precision.DOUBLE);
        // As many iterations as double took: float's changes do not fall below 1e-10.
        EmResult single = fit(new Case(c.name(), c.values(), c.d(), c.start(), exact.iterations(), 0, c.regCovar()),
                backend, Precision.FLOAT);
        double agreement = c.degenerate() ? DEGENERATE_AGREEMENT : AGREEMENT;
        double dip = c.degenerate() ? DEGENERATE_DIP : DIP;
        assertEquals(Precision.FLOAT, kernel.precision());
        double expected = exact.meanLogLikelihood();
        double rescored = InMemoryBlockData.of(c.values(), c.d()).aggregate(new LogLikelihoodPass(single.model(),
                "java")).mean();
        String values = "double " + expected + ", float " + single.meanLogLikelihood() + ", float model scored in"
                + " double " + rescored + "; double's last changes " + lastChanges(exact.history());
        assertEquals(expected, single.meanLogLikelihood(), agreement * Math.abs(expected), "reported: " + values);
        assertEquals(expected, rescored, agreement * Math.abs(expected), "rescored: " + values);
        assertTrue(worstFall(single.history()) <= dip, "fell by " + worstFall(single.history()));
        assertTrue(single.meanLogLikelihood() != exact.meanLogLikelihood(), "the float fit ran in double");
    }

    private static String lastChanges(List<IterationRecord> history) {
        return history.subList(Math.max(0, history.size() - 3), history.size()).stream()
                .map(r -> String.valueOf(r.change())).toList().toString();
    }

    /** The largest fall of the mean log-likelihood below the best before it, relative to its size. */
    static double worstFall(List<IterationRecord> history) {
        double best = Double.NEGATIVE_INFINITY;
        double worst = 0;
        for (IterationRecord r : history) {
            double v = r.meanLogLikelihood();
            worst = Math.max(worst, (best - v) / Math.abs(v));
            best = Math.max(best, v);
        }
        return worst;
    }
}
