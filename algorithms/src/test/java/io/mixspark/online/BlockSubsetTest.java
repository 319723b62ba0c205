package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.ImputedBlockData;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.testing.TestMixtures;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Passes over some blocks, and how mini-batch EM groups blocks into batches. */
class BlockSubsetTest {

    private static final int D = 3;

    private static InMemoryBlockData data() {
        Random random = new Random(8);
        return InMemoryBlockData.of(TestMixtures.rows(random, 1_050, D, 2.0), null, D, 100);
    }

    @Test
    void aPassOverSomeBlocksEqualsAPassOverDataOfThoseBlocksOnly() {
        InMemoryBlockData data = data();
        Mixture model = TestMixtures.mixture(new Random(9), CovarianceType.FULL, 2, D, 1.0);
        int[] chosen = {7, 2, 10};
        SufficientStatistics some = data.aggregate(new ExpectationPass(model, "java"), chosen);
        List<DataBlock> blocks = List.of(data.blocks().get(2), data.blocks().get(7), data.blocks().get(10));
        SufficientStatistics alone = new InMemoryBlockData(blocks, D).aggregate(new ExpectationPass(model, "java"));
        assertEquals(alone.rows(), some.rows());
        assertEquals(250, some.rows());
        assertArrayEquals(alone.scattersView(), some.scattersView());
        long[] rows = data.blockRows();
        assertEquals(11, rows.length);
        assertEquals(50, rows[10]);
    }

    @Test
    void badBlockIndexesAreRefused() {
        InMemoryBlockData data = data();
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> data.aggregate(RowCounts.pass(), new int[] {3, 11}));
        assertTrue(range.getMessage().contains("block index 11 is out of range: the data has 11 blocks"),
                range.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> data.aggregate(RowCounts.pass(), new int[] {3, 3}));
        assertTrue(twice.getMessage().contains("block index 3 is given twice"), twice.getMessage());
    }

    @Test
    void imputedDataPassesOverSomeBlocksOfTheDataBeneath() {
        InMemoryBlockData data = data();
        BlockData imputed = new ImputedBlockData(data, new double[D]);
        assertArrayEquals(data.blockRows(), imputed.blockRows());
        assertEquals(200, imputed.aggregate(RowCounts.pass(), new int[] {0, 4}).rows());
    }

    @Test
    void groupsCoverEveryBlockOnceWithAtLeastTheBatchRowsButTheLast() {
        long[] rows = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50};
        List<int[]> groups = MiniBatchEm.groups(rows, 250, new Random(1));
        int[] all = groups.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, all);
        for (int g = 0; g < groups.size() - 1; g++) {
            assertTrue(Arrays.stream(groups.get(g)).mapToLong(b -> rows[b]).sum() >= 250);
        }
        assertTrue(groups.size() >= 3 && groups.size() <= 4, "groups: " + groups.size());
        List<int[]> again = MiniBatchEm.groups(rows, 250, new Random(1));
        for (int g = 0; g < groups.size(); g++) {
            assertArrayEquals(groups.get(g), again.get(g));
        }
    }
}
