package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every native backend this machine can run against the Java kernel, the oracle: shapes that
 * are not multiples of the vector width, d = 1, one row, empty blocks, zero weights, extreme
 * values. Double precision agrees to 1e-12 relative.
 */
class NativeKernelAgreementTest {

    private static final double TOLERANCE = 1e-12;

    static Stream<Named<LikelihoodKernel>> kernels() {
        return Kernels.available().stream().map(k -> Named.of(k.name(), k));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LikelihoodKernel kernel : Kernels.available()) {
            for (CovarianceType type : CovarianceType.scikitLearn()) {
                for (int[] shape : new int[][] {{0, 3, 2}, {1, 1, 1}, {1, 5, 3}, {7, 1, 4}, {63, 8, 3}, {64, 16, 5},
                        {65, 17, 2}, {200, 3, 7}, {130, 33, 4},
                        // Pinned 128 rows at a time (dispatch.c, WORK_PER_PIN): slices of a block.
                        {1000, 64, 8}}) {
                    out.add(Arguments.of(Named.of(kernel.name(), kernel), type, shape[0], shape[1], shape[2]));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyBackendTheCpuSupportsIsOffered() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && arch.equals("amd64")) {
            assertTrue(NativeLibrary.loaded(), "the native library must load here: " + NativeLibrary.failure());
            int mask = NativeKernels.supportedIsaMask();
            for (Isa isa : Isa.values()) {
                boolean supported = (mask & (1 << isa.ordinal())) != 0;
                boolean offered = Kernels.available().stream().anyMatch(k -> k.name().equals("native-" + isa.id()));
                assertEquals(supported, offered, isa.id());
            }
            assertTrue(Kernels.named("auto").name().startsWith("native-"), "auto prefers a native kernel");
        }
        assertEquals("java", Kernels.available().get(Kernels.available().size() - 1).name());
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void expectationAgreesWithJava(LikelihoodKernel kernel, CovarianceType type, int rows, int d, int k) {
        Random random = new Random(rows * 31L + d * 7L + k);
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        DataBlock block = new DataBlock(model.sample(rows, random, null), weights(rows, random), rows, d);
        assertStatisticsAgree(expectation(JavaLikelihoodKernel.INSTANCE, block, model),
                expectation(kernel, block, model));
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void floatBlocksGiveWhatTheirDoubleExpansionGives(LikelihoodKernel kernel, CovarianceType type, int rows, int d,
                                                     int k) {
        Random random = new Random(rows * 17L + d * 3L + k);
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        FloatBlock block = FloatBlock.of(new DataBlock(model.sample(rows, random, null), weights(rows, random),
                rows, d));
        SufficientStatistics expected = expectation(kernel, block.toDataBlock(), model);
        SufficientStatistics actual = SufficientStatistics.zeroFor(model);
        kernel.expectation(block, model, actual);
        // The same doubles reach the same arithmetic: equal to the last bit.
        assertEquals(expected.logLikelihood(), actual.logLikelihood());
        for (int c = 0; c < k; c++) {
            assertEquals(expected.count(c), actual.count(c));
        }
        assertStatisticsAgree(expected, actual);
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void logJointAgreesWithJava(LikelihoodKernel kernel, CovarianceType type, int rows, int d, int k) {
        Random random = new Random(rows * 13L + d + k);
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        DataBlock block = DataBlock.of(model.sample(rows, random, null), d);
        double[] expected = new double[rows * k];
        double[] actual = new double[rows * k];
        JavaLikelihoodKernel.INSTANCE.logJoint(block, model, expected);
        kernel.logJoint(block, model, actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * (1 + Math.abs(expected[i])), "entry " + i);
        }
    }

    /** k x d large enough that the rows are pinned 128 at a time (dispatch.c, WORK_PER_PIN). */
    @ParameterizedTest
    @MethodSource("kernels")
    void nearestCentresOverSeveralPinnedSlicesAgreeWithJava(LikelihoodKernel kernel) {
        nearestCentresAgreeWithJava(kernel, CovarianceType.FULL, 300, 256, 300);
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void nearestCentresAgreeWithJava(LikelihoodKernel kernel, CovarianceType type, int rows, int d, int k) {
        Random random = new Random(rows + d * 101L + k);
        double[] x = new double[rows * d];
        double[] centres = new double[k * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian() * 3;
        }
        for (int i = 0; i < centres.length; i++) {
            centres[i] = random.nextGaussian() * 3;
        }
        DataBlock block = DataBlock.of(x, d);
        int[] expectedLabels = new int[rows];
        int[] actualLabels = new int[rows];
        double[] expected = new double[rows];
        double[] actual = new double[rows];
        JavaLikelihoodKernel.INSTANCE.nearestCentres(block, centres, k, expectedLabels, expected);
        kernel.nearestCentres(block, centres, k, actualLabels, actual);
        assertArrayEquals(expectedLabels, actualLabels);
        for (int i = 0; i < rows; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * expected[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void extremeValuesStayFiniteAndAgree(LikelihoodKernel kernel) {
        // Rows far out in the tails and a mixture far from the origin with tiny variances.
        int d = 6;
        double[] means = new double[d];
        java.util.Arrays.fill(means, 1e6);
        double[] shifted = new double[d];
        java.util.Arrays.fill(shifted, 1e6 + 1e-3);
        Mixture model = new Mixture(CovarianceType.DIAG, new double[] {0.5, 0.5}, new double[][] {means, shifted},
                new double[][] {filled(d, 1e-8), filled(d, 4e-8)});
        Random random = new Random(3);
        double[] x = new double[40 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e6 + random.nextGaussian() * (i % 5 == 0 ? 1 : 1e-4);
        }
        DataBlock block = DataBlock.of(x, d);
        SufficientStatistics expected = expectation(JavaLikelihoodKernel.INSTANCE, block, model);
        SufficientStatistics actual = expectation(kernel, block, model);
        assertTrue(Double.isFinite(actual.logLikelihood()));
        assertStatisticsAgree(expected, actual);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void responsibilitiesAgreeAcrossTheRangeOfExp(LikelihoodKernel kernel) {
        // Two unit-variance components, the second's weight e^-t or its mean 40 away: its
        // responsibility runs from ordinary values down to the smallest normal double (t < 708).
        for (double t : new double[] {1, 30, 300, 700, 708}) {
            double small = Math.exp(-t);
            assertSmallResponsibilityAgrees(kernel, new double[] {1 - small, small}, 0.0, "t = " + t);
        }
        assertSmallResponsibilityAgrees(kernel, new double[] {0.5, 0.5}, 40.0, "mean 40 away");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void subnormalResponsibilitiesAreFlushedToZero(LikelihoodKernel kernel) {
        // Below 2.2e-308 the Java kernel keeps subnormal responsibilities; the native kernels run
        // with flush-to-zero, because every multiply-add with a subnormal operand takes a microcode
        // assist (about 100 times the cost) and a scatter adds d^2 / 2 of them per row.
        for (double t : new double[] {709, 720, 740, 744}) {
            double small = Math.exp(-t);
            Mixture model = new Mixture(CovarianceType.DIAG, new double[] {1 - small, small},
                    new double[][] {{0.0}, {0.0}}, new double[][] {{1.0}, {1.0}});
            SufficientStatistics s = expectation(kernel, DataBlock.of(new double[] {0.5, -0.5, 0.25}, 1), model);
            if (kernel instanceof JavaLikelihoodKernel) {
                assertTrue(s.count(1) > 0, "t = " + t);
            } else {
                assertEquals(0.0, s.count(1), "t = " + t);
            }
            assertEquals(3.0, s.count(0), 1e-12, "t = " + t);
        }
    }

    private static void assertSmallResponsibilityAgrees(LikelihoodKernel kernel, double[] weights, double mean,
            String label) {
        Mixture model = new Mixture(CovarianceType.DIAG, weights, new double[][] {{0.0}, {mean}},
                new double[][] {{1.0}, {1.0}});
        DataBlock block = DataBlock.of(new double[] {0.0, 0.0, 0.0}, 1);
        double expected = expectation(JavaLikelihoodKernel.INSTANCE, block, model).count(1);
        double actual = expectation(kernel, block, model).count(1);
        assertEquals(expected, actual, 1e-9 * expected, label);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void floatBlocksOfTheWrongShapeAreRefusedBeforeTheCall(LikelihoodKernel kernel) {
        Mixture model = RandomMixtures.draw(2, 3, CovarianceType.FULL, 3, new Random(2));
        FloatBlock narrow = new FloatBlock(new float[8], new double[2], null, 4, 2);
        assertThrows(IllegalArgumentException.class,
                () -> kernel.expectation(narrow, model, SufficientStatistics.zeroFor(model)));
        assertThrows(IllegalArgumentException.class, () -> new FloatBlock(new float[5], new double[3], null, 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new FloatBlock(new float[6], new double[3], new double[1], 2, 3));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void zeroWeightRowsAddNoMass(LikelihoodKernel kernel) {
        Random random = new Random(8);
        Mixture model = RandomMixtures.draw(3, 4, CovarianceType.FULL, 3, random);
        DataBlock block = new DataBlock(model.sample(50, random, null), new double[50], 50, 4);
        SufficientStatistics s = expectation(kernel, block, model);
        assertEquals(50, s.rows());
        assertEquals(0.0, s.totalWeight());
        for (int c = 0; c < 3; c++) {
            assertEquals(0.0, s.count(c));
        }
    }

    private static SufficientStatistics expectation(LikelihoodKernel kernel, DataBlock block, Mixture model) {
        SufficientStatistics s = SufficientStatistics.zeroFor(model);
        kernel.expectation(block, model, s);
        return s;
    }

    private static double[] weights(int rows, Random random) {
        double[] w = new double[rows];
        for (int i = 0; i < rows; i++) {
            w[i] = i % 11 == 3 ? 0.0 : 0.5 + random.nextDouble();
        }
        return w;
    }

    private static double[] filled(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    static void assertStatisticsAgree(SufficientStatistics expected, SufficientStatistics actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.totalWeight(), actual.totalWeight(), TOLERANCE * (1 + expected.totalWeight()));
        assertEquals(expected.logLikelihood(), actual.logLikelihood(),
                TOLERANCE * (1 + Math.abs(expected.logLikelihood())));
        assertEquals(expected.sumLogMaxResponsibility(), actual.sumLogMaxResponsibility(),
                1e-10 * (1 + Math.abs(expected.sumLogMaxResponsibility())));
        if (expected.isEmpty()) {
            return;
        }
        int k = expected.k();
        int d = expected.d();
        int size = expected.scatterSize();
        for (int c = 0; c < k; c++) {
            double n = expected.count(c);
            assertEquals(n, actual.count(c), TOLERANCE * (1 + n), "count " + c);
            double[] es = expected.scattersView();
            double[] as = actual.scattersView();
            for (int a = 0; a < d; a++) {
                double diagonal = expected.fullScatter() ? es[c * size + a * d + a] : es[c * size + a];
                double spread = Math.sqrt(Math.abs(diagonal) * (n + 1e-300));
                assertEquals(expected.sumsView()[c * d + a], actual.sumsView()[c * d + a],
                        TOLERANCE * (spread + Math.abs(expected.sumsView()[c * d + a])) + 1e-300, "sum " + c + "," + a);
            }
            for (int i = 0; i < size; i++) {
                int a = expected.fullScatter() ? i / d : i;
                int b = expected.fullScatter() ? i % d : i;
                if (b > a) {
                    continue;
                }
                double sa = expected.fullScatter() ? es[c * size + a * d + a] : es[c * size + a];
                double sb = expected.fullScatter() ? es[c * size + b * d + b] : es[c * size + b];
                double scale = Math.sqrt(Math.abs(sa * sb));
                assertEquals(es[c * size + i], as[c * size + i], TOLERANCE * (scale + Math.abs(es[c * size + i]))
                        + 1e-300, "scatter " + c + " entry " + i);
            }
        }
    }
}
