package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact EM with values missing at random (Ghahramani and Jordan, 1994) against a plain numpy
 * implementation, on iris, wine and breast cancer with 10, 30 and 50% of the feature values
 * removed completely at random, for every covariance type, from scikit-learn's start on the
 * complete data (reference values: src/test/resources/reference/make_missing_reference.py).
 *
 * <p>The reference numbers iterations as {@link EmFitter} does: iteration j evaluates the mixture
 * after j - 1 updates, and a fit with {@code tol 0} and {@code maxIter T} returns the mixture
 * after T updates, whose mean log-likelihood (its own E-step) the result reports. One fit of 20
 * iterations, checkpointing after each, gives every update; a fit with maxIter 1 checks the
 * numbering at the start. Rows with every feature missing stay in the data and must be skipped. The
 * reference also holds fraction 0 (nothing removed), which checks the reference itself against
 * the complete-data EM.
 */
class MissingValuesReferenceTest {

    private static final List<String> DATASETS = List.of("iris", "wine", "breast_cancer");
    private static final double RELATIVE = 1e-8;
    private static final double COMPLETE_RELATIVE = 1e-8;
    private static final Map<String, JsonNode> REFERENCES = new ConcurrentHashMap<>();

    static JsonNode reference(String dataset) {
        return REFERENCES.computeIfAbsent(dataset, n -> Fixtures.json("reference/em_missing_" + n + ".json.gz"));
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String dataset : DATASETS) {
            for (JsonNode fraction : reference(dataset).get("fractions")) {
                for (CovarianceType type : CovarianceType.scikitLearn()) {
                    out.add(Arguments.of(dataset, fraction.get("fraction").asDouble(), type));
                }
            }
        }
        return out;
    }

    static List<Arguments> completeCases() {
        List<Arguments> out = new ArrayList<>();
        for (String dataset : DATASETS) {
            for (CovarianceType type : CovarianceType.scikitLearn()) {
                out.add(Arguments.of(dataset, type));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} p={1} {2}")
    @MethodSource("cases")
    void everyIterationAndUpdateMatchesTheNumpyReference(String name, double fraction, CovarianceType type) {
        JsonNode reference = reference(name);
        JsonNode entry = fractionEntry(reference, fraction);
        JsonNode c = entry.get("cases").get(type.alias());
        String context = name + " p=" + fraction + " " + type.id();
        Dataset data = Fixtures.dataset(name);
        assertEquals(reference.get("rows").asInt(), data.rows(), context + ": rows of the dataset");
        assertEquals(reference.get("d").asInt(), data.d(), context + ": columns of the dataset");
        double[] values = masked(data, entry.get("missing"), context);
        long skipped = entry.get("skippedRows").asLong();
        assertEquals(skipped, fullyMissingRows(values, data.d()), context + ": rows with every feature missing");

        double[] expectedMeans = Fixtures.doubles(c.get("meanLogLikelihood"));
        JsonNode updates = c.get("updates");
        int iterations = reference.get("iterations").asInt();
        assertEquals(iterations, expectedMeans.length, context + ": reference iterations");
        assertEquals(iterations, updates.size(), context + ": reference updates");
        Mixture start = Fixtures.mixture(c.get("initial"), type);
        InMemoryBlockData block = InMemoryBlockData.of(values, data.d());

        // One fit of all the iterations gives every update: the checkpoint saved after iteration t
        // holds the mixture that iteration produced (EmCheckpoint.model, "the mixture to evaluate
        // next"), which is what a fit with maxIter t returns.
        Map<Integer, Mixture> afterUpdate = new TreeMap<>();
        EmCheckpoint.Store store = new EmCheckpoint.Store() {
            @Override
            public void save(EmCheckpoint checkpoint) {
                if (checkpoint.model() != null) {
                    afterUpdate.put(checkpoint.iteration(), checkpoint.model());
                }
            }

            @Override
            public EmCheckpoint load() {
                return null;
            }
        };
        String at = context + " maxIter " + iterations;
        EmResult result = fitOrFail(block, options(start, type, reference, iterations),
                new EmCheckpoint.Policy(store, 1, false), at);
        assertEquals(iterations, result.history().size(), at + ": iterations recorded");
        for (int t = 1; t <= iterations; t++) {
            assertRelative(expectedMeans[t - 1], result.history().get(t - 1).meanLogLikelihood(), RELATIVE,
                    at + ": mean log-likelihood of iteration " + t + " (the mixture after " + (t - 1) + " updates)");
            Mixture updated = afterUpdate.get(t);
            if (updated == null) {
                fail(at + ": no checkpoint after iteration " + t + "; saved after " + afterUpdate.keySet());
            }
            assertSameModel(Fixtures.mixture(updates.get(t - 1), type), updated, RELATIVE,
                    at + ": the mixture after update " + t + " (checkpoint of iteration " + t + ")");
        }
        assertSameModel(Fixtures.mixture(updates.get(iterations - 1), type), result.model(), RELATIVE,
                at + ": the returned mixture (after " + iterations + " updates)");
        assertRelative(c.get("finalMeanLogLikelihood").asDouble(), result.meanLogLikelihood(), RELATIVE,
                at + ": mean log-likelihood of the returned mixture (after " + iterations + " updates)");
        assertEquals(data.rows() - skipped, result.rows(),
                at + ": rows that took part (" + skipped + " have every feature missing)");
        assertRelative(data.rows() - skipped, result.totalWeight(), 1e-15,
                at + ": total weight of the rows that took part (" + skipped + " skipped)");

        // The numbering at the other end: maxIter 1 evaluates the start and returns one update.
        String once = context + " maxIter 1";
        EmResult one = fitOrFail(block, options(start, type, reference, 1), null, once);
        assertEquals(1, one.history().size(), once + ": iterations recorded");
        assertRelative(expectedMeans[0], one.history().get(0).meanLogLikelihood(), RELATIVE,
                once + ": mean log-likelihood of iteration 1 (the start)");
        assertSameModel(Fixtures.mixture(updates.get(0), type), one.model(), RELATIVE,
                once + ": the returned mixture (after 1 update)");
        assertRelative(expectedMeans[1], one.meanLogLikelihood(), RELATIVE,
                once + ": mean log-likelihood of the returned mixture (iteration 2 of the reference)");
    }

    /**
     * With nothing missing, the fit is the plain complete-data EM (one E-step pass and
     * {@link MStep#update} per iteration), whatever path the missing-value support adds.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("completeCases")
    void withNothingMissingTheFitIsThePlainCompleteDataFit(String name, CovarianceType type) {
        JsonNode reference = reference(name);
        JsonNode entry = fractionEntry(reference, 0.0);
        String context = name + " p=0 " + type.id();
        Dataset data = Fixtures.dataset(name);
        assertEquals(0, entry.get("missingCells").asInt(), context + ": the fraction 0 mask removes nothing");
        double[] values = masked(data, entry.get("missing"), context);
        Mixture start = Fixtures.mixture(entry.get("cases").get(type.alias()).get("initial"), type);
        int iterations = reference.get("iterations").asInt();
        EmOptions options = options(start, type, reference, iterations);

        EmResult result = fitOrFail(InMemoryBlockData.of(values, data.d()), options, null, context);

        InMemoryBlockData complete = InMemoryBlockData.of(data.values(), data.d());
        Mixture model = start;
        assertEquals(iterations, result.history().size(), context + ": iterations recorded");
        for (int j = 0; j < iterations; j++) {
            SufficientStatistics stats = complete.aggregate(new ExpectationPass(model, "java"));
            assertRelative(stats.meanLogLikelihood(), result.history().get(j).meanLogLikelihood(), COMPLETE_RELATIVE,
                    context + ": mean log-likelihood of iteration " + (j + 1));
            model = MStep.update(stats, type, options.regCovar(), message -> { });
        }
        SufficientStatistics last = complete.aggregate(new ExpectationPass(model, "java"));
        assertSameModel(model, result.model(), COMPLETE_RELATIVE, context + ": the mixture after update " + iterations);
        assertRelative(last.meanLogLikelihood(), result.meanLogLikelihood(), COMPLETE_RELATIVE,
                context + ": mean log-likelihood of the returned mixture");
        assertEquals(data.rows(), result.rows(), context + ": rows");
        assertEquals(data.rows(), result.totalWeight(), 0.0, context + ": total weight");
    }

    private static EmOptions options(Mixture start, CovarianceType type, JsonNode reference, int maxIter) {
        return EmOptions.builder(reference.get("k").asInt(), type).initialModel(start).initMode(InitMode.MODEL)
                .maxIter(maxIter).tol(0).regCovar(reference.get("regCovar").asDouble()).kernel("java").build();
    }

    private static EmResult fitOrFail(InMemoryBlockData data, EmOptions options, EmCheckpoint.Policy checkpoints,
                                      String context) {
        try {
            return EmFitter.fit(data, options, FitListener.NONE, checkpoints);
        } catch (RuntimeException e) {
            return fail(context + ": EmFitter.fit threw " + e, e);
        }
    }

    private static JsonNode fractionEntry(JsonNode reference, double fraction) {
        for (JsonNode entry : reference.get("fractions")) {
            if (entry.get("fraction").asDouble() == fraction) {
                return entry;
            }
        }
        return fail(reference.get("dataset").asText() + ": no missing fraction " + fraction + " in the reference");
    }

    /** The dataset's row-major features with NaN in every cell the reference lists as missing. */
    private static double[] masked(Dataset data, JsonNode missing, String context) {
        assertEquals(data.rows(), missing.size(), context + ": rows of the missing-cell lists");
        double[] values = data.values().clone();
        int d = data.d();
        for (int i = 0; i < data.rows(); i++) {
            for (JsonNode column : missing.get(i)) {
                int a = column.asInt();
                if (a < 0 || a >= d) {
                    fail(context + ": row " + i + " lists missing column " + a + " of " + d);
                }
                values[i * d + a] = Double.NaN;
            }
        }
        return values;
    }

    private static long fullyMissingRows(double[] values, int d) {
        long count = 0;
        for (int i = 0; i < values.length / d; i++) {
            boolean all = true;
            for (int a = 0; a < d && all; a++) {
                all = Double.isNaN(values[i * d + a]);
            }
            count += all ? 1 : 0;
        }
        return count;
    }

    private static void assertRelative(double expected, double actual, double relative, String what) {
        double off = Math.abs(actual - expected);
        if (!(off <= relative * Math.abs(expected))) {
            fail(what + ": expected " + expected + " but was " + actual + ", off by " + off + " (relative "
                    + off / Math.abs(expected) + ", tolerance " + relative + ")");
        }
    }

    /**
     * Weights, means and covariances agree, components in the same order. The error of each
     * parameter is taken relative to its scale in the expected mixture: the weight itself, |mean|
     * plus the standard deviation for a mean, sd_a * sd_b for covariance (a, b). The worst
     * parameter is reported.
     */
    private static void assertSameModel(Mixture expected, Mixture actual, double relative, String what) {
        if (expected.k() != actual.k() || expected.d() != actual.d()) {
            fail(what + ": expected " + expected.k() + " components in " + expected.d() + " dimensions, got "
                    + actual.k() + " in " + actual.d());
        }
        Worst worst = new Worst();
        for (int c = 0; c < expected.k(); c++) {
            worst.check("weight " + c, expected.weight(c), actual.weight(c), expected.weight(c));
            double[] em = expected.mean(c);
            double[] am = actual.mean(c);
            double[][] ec = expected.covarianceMatrix(c);
            double[][] ac = actual.covarianceMatrix(c);
            for (int a = 0; a < em.length; a++) {
                double sa = Math.sqrt(ec[a][a]);
                worst.check("mean " + c + "[" + a + "]", em[a], am[a], Math.abs(em[a]) + sa);
                for (int b = 0; b < em.length; b++) {
                    worst.check("covariance " + c + "[" + a + "][" + b + "]", ec[a][b], ac[a][b],
                            sa * Math.sqrt(ec[b][b]));
                }
            }
        }
        if (!(worst.error <= relative)) {
            fail(what + ": worst parameter " + worst.where + " expected " + worst.expected + " but was "
                    + worst.actual + ", off by " + Math.abs(worst.actual - worst.expected) + " (relative to its scale "
                    + worst.error + ", tolerance " + relative + ")");
        }
    }

    /** The parameter with the largest scaled error so far (a NaN error counts as infinite). */
    private static final class Worst {
        String where = "none";
        double expected;
        double actual;
        double error;

        void check(String name, double e, double a, double scale) {
            double err = Math.abs(a - e) / scale;
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            if (err > error) {
                where = name;
                expected = e;
                actual = a;
                error = err;
            }
        }
    }
}
