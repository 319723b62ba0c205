package io.mixspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DistinctRowsTest {

    private static final double[] ROWS = {1, 2, 1, 2, 3, 4, -0.0, 0, 0.0, 0, 3, 4, 5, 6};

    @Test
    void countsDistinctRowsUpToTheLimitWhateverTheBlocks() {
        for (int blockRows : new int[] {1, 2, 3, 7}) {
            InMemoryBlockData data = InMemoryBlockData.of(ROWS, null, 2, blockRows);
            assertEquals(4, data.aggregate(DistinctRows.upTo(10)).count(), "blocks of " + blockRows);
            assertEquals(3, data.aggregate(DistinctRows.upTo(3)).count(), "blocks of " + blockRows);
        }
    }

    @Test
    void identicalRowsAreOne() {
        InMemoryBlockData data = InMemoryBlockData.of(new double[] {1, 2, 1, 2, 1, 2}, null, 2, 2);
        assertEquals(1, data.aggregate(DistinctRows.upTo(2)).count());
    }
}
