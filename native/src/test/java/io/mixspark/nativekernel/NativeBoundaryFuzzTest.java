package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives every kernel entry point with random shapes, lengths and values, garbage included.
 * Each call either works or throws IllegalArgumentException; the JVM (under -Xcheck:jni, and in
 * CI under AddressSanitizer) must survive all of them.
 */
class NativeBoundaryFuzzTest {

    private static final int CALLS = 3000;

    static Stream<Named<LikelihoodKernel>> kernels() {
        return Kernels.available().stream().map(k -> Named.of(k.name(), k));
    }

    /** Every kernel in double and in float arithmetic: the float bodies have code paths of their own. */
    static Stream<Named<LikelihoodKernel>> bothArithmetics() {
        return Kernels.available().stream().flatMap(k -> Stream.of(Named.of(k.name(), k),
                Named.of(k.name() + " float", k.withPrecision(Precision.FLOAT))));
    }

    @ParameterizedTest
    @MethodSource("bothArithmetics")
    void randomCallsEitherWorkOrFailWithAJavaException(LikelihoodKernel kernel) {
        Random random = new Random(kernel.name().hashCode());
        int accepted = 0;
        int rejected = 0;
        for (int call = 0; call < CALLS; call++) {
            try {
                fuzzOnce(kernel, random);
                accepted++;
            } catch (IllegalArgumentException expected) {
                rejected++;
            } catch (RuntimeException | Error other) {
                fail("call " + call + " failed with " + other, other);
            }
        }
        assertTrue(accepted > CALLS / 10 && rejected > CALLS / 10,
                "the fuzzer must exercise both valid and invalid calls: " + accepted + " / " + rejected);
    }

    private static void fuzzOnce(LikelihoodKernel kernel, Random random) {
        int d = 1 + random.nextInt(12);
        int k = 1 + random.nextInt(6);
        CovarianceType type = CovarianceType.scikitLearn().get(random.nextInt(4));
        Mixture model = RandomMixtures.draw(k, d, type, 3, random);
        int rows = random.nextInt(150);
        // Lengths that are right, short or long; dimensions that match or not.
        int blockD = random.nextInt(5) == 0 ? 1 + random.nextInt(12) : d;
        int length = Math.max(0, rows * blockD + (random.nextInt(4) == 0 ? random.nextInt(21) - 10 : 0));
        double[] values = garbage(length, random);
        double[] weights = random.nextBoolean() ? null : garbage(Math.max(0, rows + random.nextInt(5) - 2), random);
        DataBlock block;
        try {
            block = new DataBlock(values, weights, rows, blockD);
        } catch (IllegalArgumentException e) {
            block = DataBlock.of(new double[0], 1);
            if (random.nextBoolean()) {
                throw e;
            }
        }
        switch (random.nextInt(3)) {
            case 0 -> {
                Mixture target = random.nextInt(6) == 0 ? RandomMixtures.draw(k, d, type, 3, random) : model;
                SufficientStatistics stats = random.nextInt(8) == 0 ? SufficientStatistics.empty()
                        : SufficientStatistics.zeroFor(target);
                kernel.expectation(block, model, stats);
            }
            case 1 -> kernel.logJoint(block, model, new double[Math.max(0, block.rows() * k
                    + (random.nextInt(4) == 0 ? -1 - random.nextInt(3) : 0))]);
            default -> {
                int centres = 1 + random.nextInt(5);
                double[] c = garbage(centres * block.d() + (random.nextInt(5) == 0 ? 1 : 0), random);
                kernel.nearestCentres(block, c, centres, new int[block.rows()],
                        new double[Math.max(0, block.rows() - (random.nextInt(5) == 0 ? 1 : 0))]);
            }
        }
    }

    /**
     * Float blocks reach C as float offsets plus a double shift per column, a path of its own:
     * random shapes (lengths right, short or long), garbage offsets, shifts and weights. Calls
     * Java's checks accept (the C side has no checks of its own: it trusts them) must give the
     * Java kernel's statistics; the rest must fail with IllegalArgumentException.
     *
     * <p>Both kernels expand a row to the same doubles (shift + (double) offset, one rounding),
     * so they differ only in the order of their sums, FMA contraction and the vector exp (within
     * 2 ulp): rounding errors of a few ulp per term over at most 150 rows, far below 1e-10 of the
     * magnitude of the terms summed. Where Java's result is NaN or infinite, C's must be too.
     */
    @ParameterizedTest
    @MethodSource("nativeKernels")
    void randomFloatBlocksAgreeWithTheJavaKernelOrFailWithAJavaException(LikelihoodKernel kernel) {
        Random random = new Random(kernel.name().hashCode() * 31L + 7);
        int compared = 0;
        int rejected = 0;
        int nonFinite = 0;
        int beyond = 0;
        for (int call = 0; call < CALLS / 2; call++) {
            int d = 1 + random.nextInt(12);
            int k = 1 + random.nextInt(6);
            CovarianceType type = CovarianceType.scikitLearn().get(random.nextInt(4));
            Mixture model = RandomMixtures.draw(k, d, type, 3, random);
            int rows = random.nextInt(150);
            int blockD = random.nextInt(6) == 0 ? 1 + random.nextInt(12) : d;
            int length = Math.max(0, rows * blockD + (random.nextInt(5) == 0 ? random.nextInt(21) - 10 : 0));
            float[] offsets = floats(length, random.nextInt(3) == 0 ? 60 : 0, random);
            double[] shift = random.nextInt(10) == 0 ? garbage(blockD + random.nextInt(3) - 1, random)
                    : ordinary(blockD, random);
            double[] weights = random.nextBoolean() ? null
                    : random.nextInt(4) == 0 ? garbage(Math.max(0, rows + random.nextInt(5) - 2), random)
                    : positive(rows, random);
            SufficientStatistics expected = random.nextInt(10) == 0 ? SufficientStatistics.empty()
                    : SufficientStatistics.zeroFor(model);
            SufficientStatistics actual = expected.isEmpty() ? expected : SufficientStatistics.zeroFor(model);
            FloatBlock block;
            try {
                block = new FloatBlock(offsets, shift, weights, rows, blockD);
                kernel.expectation(block, model, actual);
            } catch (IllegalArgumentException e) {
                rejected++;
                continue;
            } catch (RuntimeException | Error other) {
                fail("call " + call + " failed with " + other, other);
                return;
            }
            JavaLikelihoodKernel.INSTANCE.expectation(block, model, expected);
            assertEquals(expected.rows(), actual.rows());
            if (beyondDoublePrecision(block, model)) {
                beyond++;
                continue;
            }
            double magnitude = magnitude(block, model);
            String where = "call " + call + ": rows " + rows + ", d " + d + ", k " + k + ", " + type;
            assertEquals(expected.rows(), actual.rows(), where);
            nonFinite += agree(expected.totalWeight(), actual.totalWeight(), magnitude, where + ", total weight");
            nonFinite += agree(expected.logLikelihood(), actual.logLikelihood(), magnitude, where + ", log-likelihood");
            nonFinite += agree(expected.sumLogMaxResponsibility(), actual.sumLogMaxResponsibility(), magnitude,
                    where + ", sum of log max responsibility");
            for (int c = 0; c < k; c++) {
                nonFinite += agree(expected.count(c), actual.count(c), magnitude, where + ", count " + c);
            }
            for (int i = 0; i < expected.sumsView().length; i++) {
                nonFinite += agree(expected.sumsView()[i], actual.sumsView()[i], magnitude, where + ", sum " + i);
            }
            for (int i = 0; i < expected.scattersView().length; i++) {
                nonFinite += agree(expected.scattersView()[i], actual.scattersView()[i], magnitude,
                        where + ", scatter " + i);
            }
            compared++;
        }
        assertTrue(compared > CALLS / 5 && rejected > CALLS / 20 && nonFinite > 0 && beyond < compared / 2,
                "the fuzzer must compare finite and non-finite results and see rejections: " + compared + " / "
                        + rejected + " / " + nonFinite + " / " + beyond);
    }

    /** The native kernels; where the library did not load, the test is skipped (not run with no arguments). */
    static Stream<Named<LikelihoodKernel>> nativeKernels() {
        List<Named<LikelihoodKernel>> kernels = kernels().filter(k -> k.getPayload() instanceof NativeLikelihoodKernel)
                .toList();
        assumeFalse(kernels.isEmpty(), "the native library did not load on this machine");
        return kernels.stream();
    }

    /** 1 when Java's value is not finite (and C's is not either), 0 when both agree as finite numbers. */
    private static int agree(double expected, double actual, double magnitude, String what) {
        if (!Double.isFinite(expected)) {
            assertFalse(Double.isFinite(actual), what + ": Java gives " + expected + ", C " + actual);
            return 1;
        }
        // Plus the smallest normal double: the native E-step flushes subnormals to zero (dispatch.c).
        assertEquals(expected, actual, 1e-10 * (Math.abs(expected) + magnitude) + Double.MIN_NORMAL, what);
        return 0;
    }

    /**
     * Whether a row's largest log joint is so large (values near float's limit) that log(sum of
     * exp) vanishes in its rounding: the Java kernel then computes each responsibility as 1, not
     * 1/k, and neither kernel's statistics mean anything, so they are not compared.
     */
    private static boolean beyondDoublePrecision(FloatBlock block, Mixture model) {
        double[] logJoint = new double[block.rows() * model.k()];
        JavaLikelihoodKernel.INSTANCE.logJoint(block.toDataBlock(), model, logJoint);
        for (double v : logJoint) {
            if (Double.isFinite(v) && Math.abs(v) > 1e12) {
                return true;
            }
        }
        return false;
    }

    /**
     * A bound on the magnitude of the terms the statistics sum: total |weight| times the largest
     * (1 + |x - mu|)^2 (1 + |precision factor|)^2, plus the log-determinants and log-weights.
     */
    private static double magnitude(FloatBlock block, Mixture model) {
        double weight = 0;
        for (int i = 0; i < block.rows(); i++) {
            double w = block.weights() == null ? 1 : Math.abs(block.weights()[i]);
            weight += Double.isFinite(w) ? w : 0;
        }
        double centred = 0;
        double[] x = block.toDataBlock().values();
        for (int i = 0; i < block.rows() * block.d(); i++) {
            for (int c = 0; c < model.k() && Double.isFinite(x[i]); c++) {
                centred = Math.max(centred, Math.abs(x[i] - model.mean(c)[i % block.d()]));
            }
        }
        double precision = 0;
        double logs = 0;
        for (int c = 0; c < model.k(); c++) {
            for (double p : model.precisionFactorView(c)) {
                precision = Math.max(precision, Math.abs(p));
            }
            logs = Math.max(logs, Math.abs(model.logDetPrecisionFactor(c)) + Math.abs(model.logWeight(c)));
        }
        double scale = (1 + centred) * (1 + centred) * (1 + precision) * (1 + precision) * model.d();
        return weight * (scale + logs + 2 * model.d());
    }

    /**
     * Ordinary floats; with {@code oneIn} > 0, about one value in that many is NaN, infinite, zero,
     * subnormal or near float's limit.
     */
    private static float[] floats(int n, int oneIn, Random random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (oneIn == 0 ? -1 : random.nextInt(oneIn)) {
                case 0 -> Float.NaN;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> Float.NEGATIVE_INFINITY;
                case 3 -> Float.MIN_VALUE;
                case 4 -> 3e38f * (random.nextBoolean() ? 1 : -1);
                case 5 -> 0f;
                default -> (float) (random.nextGaussian() * 5);
            };
        }
        return out;
    }

    private static double[] ordinary(int n, Random random) {
        double[] out = new double[Math.max(0, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextGaussian() * (random.nextInt(5) == 0 ? 1e3 : 3);
        }
        return out;
    }

    private static double[] positive(int n, Random random) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(20) == 0 ? 0.0 : random.nextDouble() * 3;
        }
        return out;
    }

    /** Mostly ordinary numbers, with NaN, infinities, zeros, subnormals and huge values mixed in. */
    private static double[] garbage(int n, Random random) {
        double[] out = new double[Math.max(0, n)];
        for (int i = 0; i < n; i++) {
            out[i] = switch (random.nextInt(40)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> Double.MIN_VALUE;
                case 4 -> 1e300 * (random.nextBoolean() ? 1 : -1);
                case 5 -> 0.0;
                default -> random.nextGaussian() * 5;
            };
        }
        return out;
    }
}
