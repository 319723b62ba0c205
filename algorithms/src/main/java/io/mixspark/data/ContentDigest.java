package io.mixspark.data;

/**
 * A digest of a data set's rows that does not depend on their order or partitioning: the sum,
 * modulo 2^64, of a hash of each row's values, weight and known component. A sum rather than an
 * exclusive or, so that a row repeated twice still counts. It tells a checkpoint's data from other
 * data; it is no cryptographic hash.
 */
public final class ContentDigest {

    private static final long SEED = 0x6D69787370617264L;

    private ContentDigest() {
    }

    /** The digest of one block's rows. */
    public static long of(DataBlock block) {
        long sum = 0;
        for (int i = 0; i < block.rows(); i++) {
            long h = RowHash.bits(block.values(), i * block.d(), block.d(), SEED);
            h = RowHash.remix(h, Double.doubleToLongBits(block.weight(i) + 0.0));
            sum += RowHash.remix(h, block.label(i));
        }
        return sum;
    }

    /** The digest as 16 hexadecimal digits. */
    public static String hex(long digest) {
        return String.format("%016x", digest);
    }
}
