package io.mixspark.nativekernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
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

    @ParameterizedTest
    @MethodSource("kernels")
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
        CovarianceType type = CovarianceType.values()[random.nextInt(4)];
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

    /** Mostly ordinary numbers, with NaN, infinities, zeros, subnormals and huge values mixed in. */
    private static double[] garbage(int n, Random random) {
        double[] out = new double[n];
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
