package io.mixspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The data digest a checkpoint records: the same rows give it in any order, blocking or storage. */
class ContentDigestTest {

    private static final int D = 3;

    @Test
    void theDigestIgnoresOrderBlocksAndFloatStorageButNotValues() {
        Random random = new Random(2);
        double[] x = new double[500 * D];
        double[] w = new double[500];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian() * 1e3;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextDouble();
        }
        long digest = digest(InMemoryBlockData.of(x, w, D, 64));

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        double[] xs = new double[x.length];
        double[] ws = new double[w.length];
        for (int i = 0; i < order.size(); i++) {
            System.arraycopy(x, order.get(i) * D, xs, i * D, D);
            ws[i] = w[order.get(i)];
        }
        assertEquals(digest, digest(InMemoryBlockData.of(xs, ws, D, 37)), "shuffled, in other blocks");

        BlockAggregator<Missingness> pass = Missingness.pass(D);
        Missingness floats = pass.zero();
        for (int start = 0; start < w.length; start += 100) {
            double[] bx = java.util.Arrays.copyOfRange(xs, start * D, (start + 100) * D);
            double[] bw = java.util.Arrays.copyOfRange(ws, start, start + 100);
            floats = pass.add(floats, FloatBlock.of(new DataBlock(bx, bw, 100, D)));
        }
        assertEquals(digest, floats.digest(), "stored as floats");

        double[] changed = x.clone();
        changed[7] = Math.nextUp(changed[7]);
        assertNotEquals(digest, digest(InMemoryBlockData.of(changed, w, D, 64)), "one value one ulp apart");
        double[] reweighted = w.clone();
        reweighted[3] *= 2;
        assertNotEquals(digest, digest(InMemoryBlockData.of(x, reweighted, D, 64)), "one weight doubled");
        double[] twice = java.util.Arrays.copyOf(x, x.length + D);
        System.arraycopy(x, 0, twice, x.length, D);
        assertNotEquals(digest(InMemoryBlockData.of(x, null, D, 64)),
                digest(InMemoryBlockData.of(twice, null, D, 64)), "a row repeated");
    }

    private static long digest(BlockData data) {
        return data.aggregate(Missingness.pass(D)).digest();
    }
}
