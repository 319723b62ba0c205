package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Precision;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Float arithmetic against double, per kernel call, through every backend (a backend this machine
 * cannot run is skipped with the reason). The bounds are first-order rounding-error bounds, with
 * u = 2^-24 float's unit roundoff:
 * <ul>
 * <li>log joint: y_j = sum_{a <= j} (x_a - mu_a) P_aj rounds the centred value, the factor and
 *     each product and sums up to d terms, so |dy_j| <= (d + 3) u Y_j with Y_j = sum |x_a - mu_a| |P_aj|;
 *     then |d(sum y_j^2)| <= (2 (d + 3) + d) u sum Y_j^2 = (3d + 6) u A, and log N moves by half that,
 *     and by at most d u more from the log-determinant of the factor rounded to float;</li>
 * <li>statistics: a row's log joints move by at most B_i (the bound above, largest over components),
 *     so its responsibilities by a factor within exp(+-2 B_i); each weighted sum and scatter term is
 *     rounded at most five times and summed in float over at most 128 rows (the chunk) before it
 *     reaches the doubles, so each statistic moves by at most (2 B_i + 133 u) of the sum of its
 *     terms' absolute values.</li>
 * </ul>
 */
class FloatArithmeticAgreementTest {

    /** Float's unit roundoff, 2^-24. */
    static final double U = Math.ulp(1.0f) / 2;
    /** Rows summed in float before they reach the double statistics (kernels_body.h, MS_CHUNK). */
    static final int CHUNK = 128;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : new String[] {"avx512", "avx2", "scalar", "java"}) {
            for (CovarianceType type : CovarianceType.scikitLearn()) {
                for (int[] shape : new int[][] {{1, 1, 1}, {7, 5, 3}, {65, 17, 2}, {200, 3, 7}, {130, 33, 4},
                        {1000, 64, 8}}) {
                    out.add(Arguments.of(Named.of(backend, backend), type, shape[0], shape[1], shape[2]));
                }
            }
        }
        return out;
    }

    /** The backend in the given arithmetic; skipped, with the reason, where this machine cannot run it. */
    static LikelihoodKernel backend(String name, Precision precision) {
        LikelihoodKernel found = Kernels.available().stream()
                .filter(k -> k.name().equals(name) || k.name().equals("native-" + name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> name + " cannot run on this machine (it has "
                + Kernels.available() + (NativeLibrary.loaded() ? "" : "; " + NativeLibrary.failure()) + ")");
        return found.withPrecision(precision);
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void logJointInFloatIsWithinTheRoundingBoundOfDouble(String name, CovarianceType type, int rows, int d, int k) {
        LikelihoodKernel single = backend(name, Precision.FLOAT);
        assertEquals(Precision.FLOAT, single.precision());
        Random random = new Random(rows * 13L + d + k);
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        DataBlock block = DataBlock.of(model.sample(rows, random, null), d);
        double[] expected = new double[rows * k];
        double[] actual = new double[rows * k];
        JavaLikelihoodKernel.INSTANCE.logJoint(block, model, expected);
        single.logJoint(block, model, actual);
        double[] bounds = logJointBounds(block, model);
        double largest = 0;
        for (int i = 0; i < expected.length; i++) {
            double bound = bounds[i] + 1e-12 * (1 + Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], bound, "entry " + i);
            largest = Math.max(largest, Math.abs(expected[i] - actual[i]) / (1 + Math.abs(expected[i])));
        }
        // Double arithmetic agrees to about 1e-15; float's rounding shows from a few rows up.
        assertTrue(largest > 1e-11 || d * rows < 8, "the float kernel computed in double: " + largest);
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void expectationInFloatIsWithinTheRoundingBoundOfDouble(String name, CovarianceType type, int rows, int d,
                                                           int k) {
        LikelihoodKernel single = backend(name, Precision.FLOAT);
        Random random = new Random(rows * 31L + d * 7L + k);
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        double[] weights = new double[rows];
        for (int i = 0; i < rows; i++) {
            weights[i] = i % 11 == 3 ? 0 : 0.5 + random.nextDouble();
        }
        DataBlock block = new DataBlock(model.sample(rows, random, null), weights, rows, d);
        SufficientStatistics expected = expectation(JavaLikelihoodKernel.INSTANCE, block, model);
        SufficientStatistics actual = expectation(single, block, model);
        assertWithinBounds(expected, actual, block, model);
    }

    @ParameterizedTest(name = "{0} {1} rows={2} d={3} k={4}")
    @MethodSource("cases")
    void floatStorageInFloatArithmeticGivesWhatItsDoubleExpansionGives(String name, CovarianceType type, int rows,
                                                                      int d, int k) {
        LikelihoodKernel single = backend(name, Precision.FLOAT);
        Random random = new Random(rows * 17L + d * 3L + k);
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        FloatBlock block = FloatBlock.of(DataBlock.of(model.sample(rows, random, null), d));
        SufficientStatistics expected = expectation(single, block.toDataBlock(), model);
        SufficientStatistics actual = SufficientStatistics.zeroFor(model);
        single.expectation(block, model, actual);
        // The same doubles reach the same arithmetic: equal to the last bit.
        assertEquals(expected.logLikelihood(), actual.logLikelihood());
        for (int c = 0; c < k; c++) {
            assertEquals(expected.count(c), actual.count(c));
        }
        assertEquals(List.of(box(expected.sumsView()), box(expected.scattersView())),
                List.of(box(actual.sumsView()), box(actual.scattersView())));
    }

    private static List<Double> box(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    static SufficientStatistics expectation(LikelihoodKernel kernel, DataBlock block, Mixture model) {
        SufficientStatistics stats = SufficientStatistics.zeroFor(model);
        kernel.expectation(block, model, stats);
        return stats;
    }

    /** Per row and component, the bound on |log N in float - log N in double| (see the class comment). */
    static double[] logJointBounds(DataBlock block, Mixture model) {
        int d = model.d();
        int k = model.k();
        double[] mu = model.meansView();
        double[] out = new double[block.rows() * k];
        double[] y = new double[d];
        for (int i = 0; i < block.rows(); i++) {
            for (int c = 0; c < k; c++) {
                double[] p = model.precisionFactorView(c);
                java.util.Arrays.fill(y, 0);
                for (int a = 0; a < d; a++) {
                    double diff = Math.abs(block.values()[i * d + a] - mu[c * d + a]);
                    switch (model.covarianceType().storage()) {
                        case FULL, TIED -> {
                            for (int j = a; j < d; j++) {
                                y[j] += diff * Math.abs(p[a * d + j]);
                            }
                        }
                        case DIAG -> y[a] = diff * Math.abs(p[a]);
                        case SPHERICAL -> y[a] = diff * Math.abs(p[0]);
                    }
                }
                double sumSquares = 0;
                for (double v : y) {
                    sumSquares += v * v;
                }
                out[i * k + c] = 1.01 * (0.5 * (3 * d + 6) * U * sumSquares + d * U);
            }
        }
        return out;
    }

    /**
     * Every count, sum and scatter entry within (2 B_i + 133 u) of its terms' absolute sum, and the
     * log-likelihood within sum_i w_i B_i.
     */
    static void assertWithinBounds(SufficientStatistics expected, SufficientStatistics actual, DataBlock block,
                                   Mixture model) {
        int d = model.d();
        int k = model.k();
        boolean full = expected.fullScatter();
        int scatterSize = expected.scatterSize();
        double[] logJoint = new double[block.rows() * k];
        JavaLikelihoodKernel.INSTANCE.logJoint(block, model, logJoint);
        double[] bounds = logJointBounds(block, model);
        double[] countScale = new double[k];
        double[] sumScale = new double[k * d];
        double[] scatterScale = new double[k * scatterSize];
        double logLikelihoodBound = 1e-12 * (1 + Math.abs(expected.logLikelihood()));
        double[] mu = model.meansView();
        for (int i = 0; i < block.rows(); i++) {
            double w = block.weight(i);
            double max = Double.NEGATIVE_INFINITY;
            double rowBound = 0;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logJoint[i * k + c]);
                rowBound = Math.max(rowBound, bounds[i * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logJoint[i * k + c] - max);
            }
            logLikelihoodBound += w * rowBound;
            double relative = 2.01 * rowBound + (CHUNK + 5) * U;
            for (int c = 0; c < k; c++) {
                double r = w * Math.exp(logJoint[i * k + c] - max) / sum;
                countScale[c] += r * 2.01 * rowBound;
                for (int a = 0; a < d; a++) {
                    double da = Math.abs(block.values()[i * d + a] - mu[c * d + a]);
                    sumScale[c * d + a] += relative * r * da;
                    if (full) {
                        for (int b = 0; b <= a; b++) {
                            double db = Math.abs(block.values()[i * d + b] - mu[c * d + b]);
                            scatterScale[c * scatterSize + a * d + b] += relative * r * da * db;
                        }
                    } else {
                        scatterScale[c * scatterSize + a] += relative * r * da * da;
                    }
                }
            }
        }
        assertEquals(expected.logLikelihood(), actual.logLikelihood(), logLikelihoodBound, "log-likelihood");
        for (int c = 0; c < k; c++) {
            assertEquals(expected.count(c), actual.count(c), countScale[c] + 1e-12 * block.rows(), "count " + c);
        }
        assertArrayWithin(expected.sumsView(), actual.sumsView(), sumScale, "sum");
        assertArrayWithin(expected.scattersView(), actual.scattersView(), scatterScale, "scatter");
    }

    private static void assertArrayWithin(double[] expected, double[] actual, double[] bound, String what) {
        for (int j = 0; j < expected.length; j++) {
            if (bound[j] == 0 && expected[j] == 0) {
                continue; // the upper triangle of a full scatter: never written
            }
            assertEquals(expected[j], actual[j], bound[j] + 1e-12 * (1 + Math.abs(expected[j])), what + " " + j);
        }
    }
}
