package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mixspark.data.DataBlock;
import io.mixspark.data.RowHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounded sample keeps the same rows however rows are split and merged. */
class BoundedSampleTest {

    private static BoundedSample of(double[] x, int from, int to, int d, int capacity) {
        BoundedSample s = new BoundedSample(d, capacity);
        for (int i = from; i < to; i++) {
            s.add(x, i * d, 1.0, RowHash.bits(x, i * d, d, 9));
        }
        return s;
    }

    @Test
    void mergeOrderAndSplitDoNotChangeTheRowsKept() {
        int d = 2;
        int n = 5_000;
        Random random = new Random(4);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            // Few distinct values, so equal rows and equal keys occur.
            x[i] = random.nextInt(40);
        }
        DataBlock whole = of(x, 0, n, d, 300).toBlock();
        List<BoundedSample> parts = new ArrayList<>();
        for (int start = 0; start < n; start += 700) {
            parts.add(of(x, start, Math.min(n, start + 700), d, 300));
        }
        Collections.shuffle(parts, random);
        BoundedSample merged = new BoundedSample(d, 300);
        for (BoundedSample p : parts) {
            merged.merge(p);
        }
        DataBlock fromParts = merged.toBlock();
        assertEquals(300, fromParts.rows());
        assertArrayEquals(whole.values(), fromParts.values());
        assertArrayEquals(whole.weights(), fromParts.weights());
    }

    @Test
    void fewerRowsThanTheCapacityAreAllKept() {
        double[] x = {1, 2, 3, 4, 5, 6};
        assertEquals(3, of(x, 0, 3, 2, 10).rows());
    }
}
