package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pin that fails ({@code GetPrimitiveArrayCritical} returning NULL, made to happen by the
 * library's fault-injection hook) must raise OutOfMemoryError, write nothing, and leave no array
 * pinned: every pin of every entry point is made to fail in turn, under -Xcheck:jni (and in CI
 * under AddressSanitizer), and the next call must work normally.
 */
class PinFailureTest {

    private final Random random = new Random(20261203);
    private final Mixture model = RandomMixtures.draw(3, 5, CovarianceType.FULL, 3, random);
    private final DataBlock block = new DataBlock(model.sample(40, random, null), weights(40), 40, 5);

    /** The native kernels; where the library did not load, the tests are skipped (not run with no arguments). */
    static Stream<Named<LikelihoodKernel>> nativeKernels() {
        List<Named<LikelihoodKernel>> kernels = Kernels.available().stream()
                .filter(k -> k instanceof NativeLikelihoodKernel).map(k -> Named.of(k.name(), k)).toList();
        assumeFalse(kernels.isEmpty(), "the native library did not load on this machine");
        return kernels.stream();
    }

    @AfterEach
    void pinNormally() {
        if (NativeLibrary.loaded()) {
            NativeKernels.failPinAfter(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("nativeKernels")
    void aFailedPinInTheEStepRaisesOutOfMemoryAndAddsNothing(LikelihoodKernel kernel) {
        SufficientStatistics expected = expectation(kernel, stats -> kernel.expectation(block, model, stats));
        int failures = failEveryPin(kernel, stats -> kernel.expectation(block, model, stats), expected);
        assertEquals(10, failures, "rows, weights, 4 model arrays, 3 statistics arrays and the totals are pinned");
    }

    @ParameterizedTest
    @MethodSource("nativeKernels")
    void aFailedPinInTheFloatEStepRaisesOutOfMemoryAndAddsNothing(LikelihoodKernel kernel) {
        FloatBlock floats = FloatBlock.of(block);
        SufficientStatistics expected = expectation(kernel, stats -> kernel.expectation(floats, model, stats));
        int failures = failEveryPin(kernel, stats -> kernel.expectation(floats, model, stats), expected);
        assertEquals(11, failures, "offsets, shift, weights, 4 model arrays, 3 statistics arrays and the totals");
    }

    /**
     * Enough work per row (d = 64, K = 8) that the library pins 1000 rows in 8 slices of 128: a pin
     * failing in any slice raises OutOfMemoryError and releases every array, and the next call works.
     * Slices before the failing one have added into the statistics, which are then undefined (the
     * caller discards them); only a failure in the first slice leaves them untouched.
     */
    @ParameterizedTest
    @MethodSource("nativeKernels")
    void aFailedPinInALaterSliceRaisesOutOfMemoryAndReleasesEveryArray(LikelihoodKernel kernel) {
        Random r = new Random(64);
        Mixture wide = RandomMixtures.draw(8, 64, CovarianceType.FULL, 3, r);
        DataBlock rows = new DataBlock(wide.sample(1000, r, null), weights(1000), 1000, 64);
        SufficientStatistics expected = SufficientStatistics.zeroFor(wide);
        kernel.expectation(rows, wide, expected);
        int failures = 0;
        for (int pins = 0; ; pins++) {
            SufficientStatistics stats = SufficientStatistics.zeroFor(wide);
            NativeKernels.failPinAfter(pins);
            try {
                kernel.expectation(rows, wide, stats);
            } catch (OutOfMemoryError e) {
                failures++;
                assertTrue(e.getMessage().contains("could not pin"), e.getMessage());
                assertEquals(0, stats.rows(), "no rows counted after pin " + pins + " failed");
                continue;
            }
            assertEquals(expected.rows(), stats.rows());
            for (int c = 0; c < wide.k(); c++) {
                assertEquals(expected.count(c), stats.count(c), 0.0, "the same sums after " + failures + " failures");
            }
            break;
        }
        assertEquals(8 * 10, failures, "8 slices of 128 rows, each pinning the 10 arrays of the E-step");
    }

    @ParameterizedTest
    @MethodSource("nativeKernels")
    void aFailedPinInLogJointOrNearestCentresRaisesOutOfMemoryAndWritesNothing(LikelihoodKernel kernel) {
        double[] logJoint = new double[block.rows() * model.k()];
        kernel.logJoint(block, model, logJoint);
        int failures = 0;
        for (int pins = 0; ; pins++) {
            double[] out = new double[logJoint.length];
            NativeKernels.failPinAfter(pins);
            try {
                kernel.logJoint(block, model, out);
            } catch (OutOfMemoryError expected) {
                failures++;
                assertTrue(expected.getMessage().contains("could not pin"), expected.getMessage());
                assertArrayEquals(new double[out.length], out, "nothing written after pin " + pins + " failed");
                continue;
            }
            assertArrayEquals(logJoint, out);
            break;
        }
        assertEquals(6, failures, "rows, 4 model arrays and the output are pinned");

        double[] centres = Arrays.copyOf(block.values(), 3 * block.d());
        failures = 0;
        for (int pins = 0; ; pins++) {
            int[] labels = new int[block.rows()];
            Arrays.fill(labels, -1);
            double[] distances = new double[block.rows()];
            NativeKernels.failPinAfter(pins);
            try {
                kernel.nearestCentres(block, centres, 3, labels, distances);
            } catch (OutOfMemoryError expected) {
                failures++;
                assertTrue(Arrays.stream(labels).allMatch(l -> l == -1), "no label written after pin " + pins);
                continue;
            }
            assertEquals(0, labels[0], "the first row is the first centre");
            break;
        }
        assertEquals(4, failures, "rows, centres, labels and distances are pinned");
    }

    /** Fails the 1st, 2nd, ... pin of the call until it completes; returns how many pins failed. */
    private int failEveryPin(LikelihoodKernel kernel, Consumer<SufficientStatistics> call,
                             SufficientStatistics expected) {
        int failures = 0;
        for (int pins = 0; ; pins++) {
            SufficientStatistics stats = SufficientStatistics.zeroFor(model);
            NativeKernels.failPinAfter(pins);
            try {
                call.accept(stats);
            } catch (OutOfMemoryError e) {
                failures++;
                assertTrue(e.getMessage().contains("could not pin"), e.getMessage());
                assertEquals(0, stats.rows(), "no rows counted after pin " + pins + " failed");
                assertArrayEquals(new double[model.k()], counts(stats), "no counts after pin " + pins + " failed");
                continue;
            }
            assertEquals(expected.rows(), stats.rows(), kernel.name());
            assertArrayEquals(counts(expected), counts(stats), kernel.name());
            return failures;
        }
    }

    private SufficientStatistics expectation(LikelihoodKernel kernel, Consumer<SufficientStatistics> call) {
        assumeTrue(NativeLibrary.loaded());
        SufficientStatistics stats = SufficientStatistics.zeroFor(model);
        call.accept(stats);
        return stats;
    }

    private double[] counts(SufficientStatistics stats) {
        double[] out = new double[model.k()];
        for (int c = 0; c < out.length; c++) {
            out[c] = stats.count(c);
        }
        return out;
    }

    private double[] weights(int rows) {
        double[] w = new double[rows];
        for (int i = 0; i < rows; i++) {
            w[i] = 0.5 + random.nextDouble();
        }
        return w;
    }
}
