package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import org.junit.jupiter.api.Test;

/** {@code --init hc} inside EM: on all rows when they fit the sample, else on a seeded sample. */
class HierarchicalStartTest {

    private static final Dataset IRIS = Fixtures.dataset("iris");

    private static EmOptions options(int hcSample, long seed) {
        return EmOptions.builder(3, CovarianceType.VVV).initMode(InitMode.HC).hcSample(hcSample).seed(seed)
                .regCovar(0).kernel("java").build();
    }

    private static Mixture start(EmOptions options) {
        InMemoryBlockData data = InMemoryBlockData.of(IRIS.values(), IRIS.d());
        return EmFitter.initialMixture(data, options, 0, FitListener.NONE);
    }

    @Test
    void withEveryRowSampledTheStartIsTheMStepOfMclustsPartition() {
        // Iris's hierarchical partition at G = 3 (make_hc_reference.R) has 39, 49 and 62 rows.
        Mixture start = start(options(2000, 0));
        double[] sizes = new double[3];
        for (int c = 0; c < 3; c++) {
            sizes[c] = Math.round(start.weight(c) * 150);
        }
        assertEquals(150, sizes[0] + sizes[1] + sizes[2]);
        java.util.Arrays.sort(sizes);
        assertEquals(java.util.List.of(39.0, 49.0, 62.0), java.util.List.of(sizes[0], sizes[1], sizes[2]));
        // With every row sampled the seed only reorders the rows, so the components come in another order.
        Mixture other = start(options(2000, 7));
        for (int c = 0; c < 3; c++) {
            double[] mean = start.mean(c);
            assertTrue(java.util.stream.IntStream.range(0, 3).anyMatch(o -> close(mean, other.mean(o))),
                    "component " + c + " of one seed is a component of the other");
        }
    }

    private static boolean close(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-12 * Math.max(1, Math.abs(a[i]))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aSmallerSampleIsSeeded() {
        Mixture a = start(options(60, 1));
        assertEquals(a, start(options(60, 1)));
        assertEquals(3, a.k());
        assertTrue(!a.equals(start(options(2000, 1))), "a sample of about 60 rows starts elsewhere");
    }
}
