package io.mixspark.em;

import static io.mixspark.testing.FitAssertions.assertSameFit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --init hc} inside EM: on all rows when they fit the sample, else on a seeded sample; with
 * known labels, each labelled component starts at its labelled rows.
 */
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

    /** The species of every tenth iris row (5 of each) known, the species numbered by {@code numbering}. */
    private static int[] knownLabels(int[] numbering) {
        int[] labels = new int[IRIS.rows()];
        Arrays.fill(labels, DataBlock.UNLABELLED);
        for (int i = 0; i < labels.length; i += 10) {
            labels[i] = numbering[IRIS.labels()[i]];
        }
        return labels;
    }

    @Test
    void knownLabelsNameTheComponentsTheyStartAndEndInWhicheverNumbersTheSpeciesGet() {
        int[][] numberings = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] numbering : numberings) {
            int[] labels = knownLabels(numbering);
            InMemoryBlockData data = InMemoryBlockData.of(IRIS.values(), null, labels, IRIS.d(), 32);
            EmOptions options = options(2000, 0);
            Mixture start = EmFitter.initialMixture(data, options, 0, FitListener.NONE);
            for (int species = 0; species < 3; species++) {
                double[] labelledMean = new double[IRIS.d()];
                for (int i = 0; i < labels.length; i += 10) {
                    for (int a = 0; a < IRIS.d() && IRIS.labels()[i] == species; a++) {
                        labelledMean[a] += IRIS.values()[i * IRIS.d() + a] / 5;
                    }
                }
                assertEquals(numbering[species], nearest(start, labelledMean), "species " + species + ", numbering "
                        + Arrays.toString(numbering));
            }
            Mixture fitted = EmFitter.fit(data, options, FitListener.NONE).model();
            int[] predicted = Scoring.predict(JavaLikelihoodKernel.INSTANCE, fitted, DataBlock.of(IRIS.values(),
                    IRIS.d()));
            int right = 0;
            for (int i = 0; i < predicted.length; i++) {
                right += predicted[i] == numbering[IRIS.labels()[i]] ? 1 : 0;
            }
            assertTrue(right >= 135, right + " of 150 rows in their species' component, numbering "
                    + Arrays.toString(numbering));
        }
    }

    @Test
    void aBatchedGridKeepsTheKnownLabelsAsAFitAlone() {
        InMemoryBlockData data = InMemoryBlockData.of(IRIS.values(), null, knownLabels(new int[] {2, 0, 1}), IRIS.d(),
                32);
        List<EmOptions> fits = List.of(CovarianceType.VVV, CovarianceType.VVI).stream()
                .map(type -> EmOptions.builder(3, type).initMode(InitMode.HC).seed(0).kernel("java").build())
                .toList();
        BatchedFits.Batch batch = BatchedFits.fit(data, fits, FitListener.NONE, 1 << 20);
        for (int i = 0; i < fits.size(); i++) {
            assertSameFit(EmFitter.fit(data, fits.get(i), FitListener.NONE), batch.outcomes().get(i).result(), 1e-12,
                    fits.get(i).covarianceType().id());
        }
    }

    private static int nearest(Mixture model, double[] x) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < model.k(); c++) {
            double distance = 0;
            for (int a = 0; a < x.length; a++) {
                distance += (model.mean(c)[a] - x[a]) * (model.mean(c)[a] - x[a]);
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        return best;
    }
}
