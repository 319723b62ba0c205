package io.mixspark.data;

/**
 * A pseudo-random number in [0, 1) drawn from a row's own values and a seed. Sampling by it
 * picks the same rows however the data is partitioned or ordered, which keeps seeded fits
 * identical across partition counts.
 *
 * <p>Identical rows would share one draw, so that a value repeated m times is kept with the
 * probability of a single row. {@link Occurrences} gives each repeat within a block a draw of
 * its own; only data whose duplicates straddle blocks then depends on the partitioning.
 */
public final class RowHash {

    private RowHash() {
    }

    /** 64 well-mixed bits for the row at {@code offset}. */
    public static long bits(double[] values, int offset, int d, long seed) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int a = 0; a < d; a++) {
            // Adding 0.0 maps -0.0 to +0.0, so equal rows hash alike.
            h = mix(h ^ Double.doubleToLongBits(values[offset + a] + 0.0));
        }
        return h;
    }

    /** A uniform draw in [0, 1) for the row at {@code offset}. */
    public static double uniform(double[] values, int offset, int d, long seed) {
        return toUnit(bits(values, offset, d, seed));
    }

    /** Draws for the rows of one block, with a fresh draw for each repeat of a row. */
    public static final class Occurrences {
        private final java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
        private final long seed;

        public Occurrences(long seed) {
            this.seed = seed;
        }

        /** 64 bits for the row at offset: the row's own hash, remixed for its n-th repeat. */
        public long bits(double[] values, int offset, int d) {
            long base = RowHash.bits(values, offset, d, seed);
            int repeat = seen.merge(base, 1, Integer::sum) - 1;
            return repeat == 0 ? base : mix(base + repeat);
        }

        /** A uniform draw in [0, 1) for the row at offset. */
        public double uniform(double[] values, int offset, int d) {
            return toUnit(bits(values, offset, d));
        }
    }

    /** 64 fresh bits from earlier ones and a salt: several independent draws from one row's hash. */
    public static long remix(long bits, long salt) {
        return mix(bits ^ mix(salt));
    }

    /** Maps 64 random bits to a double in [0, 1). */
    public static double toUnit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
