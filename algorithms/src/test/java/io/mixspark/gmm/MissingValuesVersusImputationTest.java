package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.testing.Fixtures;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What exact EM with missing values buys: on the shipped datasets with values removed completely
 * at random, the model it fits explains the complete data (mean log-likelihood per row of the
 * original table) better than EM on the mean-imputed table and EM on the complete rows only.
 * The margins are printed; docs/MISSING.md reports them.
 */
class MissingValuesVersusImputationTest {

    @ParameterizedTest(name = "{0} {1} missing {2}")
    @CsvSource({
        "iris, VVV, 0.1", "iris, VVV, 0.3", "iris, VVV, 0.5",
        "iris, VVI, 0.3",
        "wine, VVI, 0.1", "wine, VVI, 0.3", "wine, VVI, 0.5",
        "wine, EEE, 0.3",
        "breast_cancer, VVI, 0.1", "breast_cancer, VVI, 0.3", "breast_cancer, VVI, 0.5",
    })
    void exactEmBeatsMeanImputationAndCompleteRows(String name, CovarianceType type, double share) {
        Fixtures.Dataset data = Fixtures.dataset(name);
        int d = data.d();
        int k = Arrays.stream(data.labels()).max().orElseThrow() + 1;
        // Seeds 300 and up: the masks of the reference tests (other seeds) are not reused here.
        double[] holed = data.values().clone();
        Random random = new Random(300 + Math.round(share * 10));
        for (int i = 0; i < holed.length; i++) {
            if (random.nextDouble() < share) {
                holed[i] = Double.NaN;
            }
        }
        EmOptions options = EmOptions.builder(k, type).nInit(5).seed(1).kernel("java").build();
        DataBlock complete = DataBlock.of(data.values(), d);

        double exact = meanLogLikelihood(fit(holed, d, options), complete);
        double imputed = meanLogLikelihood(fit(meanImputed(holed, d), d, options), complete);
        double[] completeRows = completeRows(holed, d);
        double caseWise = completeRows.length / d > k * (d + 1)
                ? meanLogLikelihood(fit(completeRows, d, options), complete) : Double.NEGATIVE_INFINITY;

        System.out.printf("%s %s, %.0f%% missing: mean log-likelihood on the complete data: exact EM %.4f,"
                + " mean-imputed EM %.4f (margin %.4f), complete rows (%d) %s%n", name, type, share * 100, exact,
                imputed, exact - imputed, completeRows.length / d, Double.isInfinite(caseWise) ? "too few to fit"
                        : String.format("%.4f (margin %.4f)", caseWise, exact - caseWise));
        assertTrue(exact > imputed, "exact EM " + exact + " vs mean imputation " + imputed);
        assertTrue(exact > caseWise, "exact EM " + exact + " vs complete rows " + caseWise);
    }

    private static Mixture fit(double[] values, int d, EmOptions options) {
        return EmFitter.fit(InMemoryBlockData.of(values, null, d, 64), options, FitListener.NONE).model();
    }

    private static double meanLogLikelihood(Mixture model, DataBlock rows) {
        double[] scores = Scoring.scoreSamples(JavaLikelihoodKernel.INSTANCE, model, rows);
        return Arrays.stream(scores).average().orElseThrow();
    }

    private static double[] meanImputed(double[] values, int d) {
        double[] sum = new double[d];
        int[] count = new int[d];
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                sum[i % d] += values[i];
                count[i % d]++;
            }
        }
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(out[i])) {
                out[i] = sum[i % d] / count[i % d];
            }
        }
        return out;
    }

    private static double[] completeRows(double[] values, int d) {
        double[] out = new double[values.length];
        int kept = 0;
        for (int i = 0; i < values.length / d; i++) {
            boolean complete = true;
            for (int a = 0; a < d; a++) {
                complete &= !Double.isNaN(values[i * d + a]);
            }
            if (complete) {
                System.arraycopy(values, i * d, out, kept * d, d);
                kept++;
            }
        }
        return Arrays.copyOf(out, kept * d);
    }
}
