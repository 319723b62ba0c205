package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A weight counts as that many copies of its row in mini-batch EM's step floor as everywhere else:
 * a table whose first block's rows weigh 3 and second block's 1 gives the model of the unweighted
 * table with the first block's rows repeated three times, one group per block, with a schedule
 * step small enough that the floor (the group's share) decides every step.
 */
class MiniBatchWeightShareTest {

    @Test
    void theStepFloorIsTheGroupsShareOfTheWeight() {
        int d = 2;
        int rows = 200;
        double[] values = new Mixture(CovarianceType.FULL, new double[] {0.5, 0.5},
                new double[][] {{0, 0}, {5, 5}}, new double[][] {{1, 0, 0, 1}, {1, 0.3, 0.3, 1}})
                .sample(2 * rows, new Random(5), null);
        double[] weights = new double[2 * rows];
        Arrays.fill(weights, 0, rows, 3.0);
        Arrays.fill(weights, rows, 2 * rows, 1.0);
        InMemoryBlockData weighted = InMemoryBlockData.of(values, weights, d, rows);
        double[] repeated = new double[4 * rows * d];
        for (int copy = 0; copy < 3; copy++) {
            System.arraycopy(values, 0, repeated, copy * rows * d, rows * d);
        }
        System.arraycopy(values, rows * d, repeated, 3 * rows * d, rows * d);
        InMemoryBlockData copies = InMemoryBlockData.of(repeated, null, d, 3 * rows);

        EmOptions options = EmOptions.builder(2, CovarianceType.FULL).seed(1).kernel("java").build();
        Mixture start = EmFitter.initialMixture(weighted, options, 0, FitListener.NONE);
        MiniBatchOptions miniBatch = new MiniBatchOptions(1, 2, 0, 1.0, 1000);
        EmResult a = MiniBatchEm.run(weighted, start, options, miniBatch, FitListener.NONE);
        EmResult b = MiniBatchEm.run(copies, start, options, miniBatch, FitListener.NONE);
        assertArrayEquals(b.model().weights(), a.model().weights(), 1e-9);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(b.model().mean(c), a.model().mean(c), 1e-9, "mean " + c);
            assertArrayEquals(b.model().covariance(c), a.model().covariance(c), 1e-9, "covariance " + c);
        }
    }
}
