package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.MissingValues;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.Scoring;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The missing-value path (rows grouped by pattern, scored under marginal mixtures) through every
 * backend against the Java kernel: the E-step statistics to 1e-12 relative, the posteriors and
 * the imputed values to 1e-12.
 */
class MissingValuesAgreementTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LikelihoodKernel kernel : Kernels.available()) {
            for (CovarianceType type : CovarianceType.scikitLearn()) {
                for (int[] shape : new int[][] {{1, 2, 1}, {65, 5, 3}, {300, 17, 4}, {257, 33, 2}}) {
                    for (double share : new double[] {0.1, 0.5}) {
                        out.add(Arguments.of(Named.of(kernel.name(), kernel), type, shape[0], shape[1], shape[2],
                                share));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4} missing={5}")
    @MethodSource("cases")
    void theMissingPathAgreesWithJava(LikelihoodKernel kernel, CovarianceType type, int rows, int d, int k,
                                      double share) {
        Random random = new Random(rows * 131L + d * 17L + k + (long) (share * 10));
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        double[] values = model.sample(rows, random, null);
        // Few patterns, as real tables have: each row misses one of eight column sets.
        boolean[][] patterns = new boolean[8][d];
        for (boolean[] p : patterns) {
            for (int a = 0; a < d; a++) {
                p[a] = random.nextDouble() < share;
            }
        }
        for (int i = 0; i < rows; i++) {
            boolean[] p = patterns[random.nextInt(patterns.length)];
            for (int a = 0; a < d; a++) {
                if (p[a]) {
                    values[i * d + a] = Double.NaN;
                }
            }
        }
        double[] weights = new double[rows];
        for (int i = 0; i < rows; i++) {
            weights[i] = 0.5 + random.nextDouble();
        }
        DataBlock block = new DataBlock(values, weights, rows, d);

        NativeKernelAgreementTest.assertStatisticsAgree(pass(JavaLikelihoodKernel.INSTANCE, model, block),
                pass(kernel, model, block));
        double[] expected = Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, model, block);
        double[] actual = Scoring.predictProba(kernel, model, block);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, "posterior " + i);
        }
        double[] imputedJava = MissingValues.impute(JavaLikelihoodKernel.INSTANCE, block, model);
        double[] imputed = MissingValues.impute(kernel, block, model);
        for (int i = 0; i < imputed.length; i++) {
            assertEquals(imputedJava[i], imputed[i], 1e-12 * (1 + Math.abs(imputedJava[i])), "imputed value " + i);
        }
    }

    private static SufficientStatistics pass(LikelihoodKernel kernel, Mixture model, DataBlock block) {
        ExpectationPass pass = new ExpectationPass(model, kernel.name());
        return pass.add(pass.zero(), block);
    }
}
