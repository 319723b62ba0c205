package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Precision;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A row with a NaN adds to the row count only, in float arithmetic as in double: its moments must
 * not reach the statistics, whichever copy of the row a kernel computes them from.
 */
class FloatBadRowTest {

    static Stream<Named<LikelihoodKernel>> floatKernels() {
        return Kernels.available().stream().map(k -> Named.of(k.name() + " float", k.withPrecision(Precision.FLOAT)));
    }

    @ParameterizedTest
    @MethodSource("floatKernels")
    void aNanRowLeavesTheMomentsFinite(LikelihoodKernel kernel) {
        Random random = new Random(17);
        int d = 7;
        int rows = 300;
        for (CovarianceType type : CovarianceType.scikitLearn()) {
            Mixture model = RandomMixtures.draw(3, d, type, 3, random);
            double[] values = new double[rows * d];
            for (int i = 0; i < values.length; i++) {
                values[i] = 2 * random.nextGaussian();
            }
            double[] clean = values.clone();
            values[130 * d + 2] = Double.NaN;
            clean[130 * d + 2] = 0;
            double[] weights = new double[rows];
            Arrays.fill(weights, 1);
            double[] cleanWeights = weights.clone();
            cleanWeights[130] = 0;
            SufficientStatistics withNan = SufficientStatistics.zeroFor(model);
            SufficientStatistics withoutRow = SufficientStatistics.zeroFor(model);
            kernel.expectation(new DataBlock(values, weights, rows, d), model, withNan);
            kernel.expectation(new DataBlock(clean, cleanWeights, rows, d), model, withoutRow);
            for (double v : withNan.sumsView()) {
                assertTrue(Double.isFinite(v), type + ": a sum is " + v);
            }
            for (double v : withNan.scattersView()) {
                assertTrue(Double.isFinite(v), type + ": a scatter entry is " + v);
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(withoutRow.count(c), withNan.count(c), 1e-9 * rows, type + " count " + c);
            }
        }
    }
}
