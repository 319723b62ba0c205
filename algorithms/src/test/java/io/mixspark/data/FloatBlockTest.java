package io.mixspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatBlockTest {

    @Test
    void valuesFarFromZeroKeepTheDigitsOfTheirSpread() {
        // A column near 10^6 with a spread of 10^-3: a plain float would keep only 0.06 of it.
        Random random = new Random(4);
        int rows = 500;
        int d = 3;
        double[] x = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % d == 0 ? 1e6 : i % d == 1 ? -3.0 : 0.0) + random.nextGaussian() * 1e-3;
        }
        DataBlock back = FloatBlock.of(DataBlock.of(x, d)).toDataBlock();
        assertEquals(rows, back.rows());
        assertEquals(d, back.d());
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(back.values()[i] - x[i]));
        }
        // Offsets up to about 4e-3 rounded to float: errors below 4e-3 * 2^-24, plus the
        // rounding of the sum at 10^6 (half an ulp of 1e6, 6e-11).
        assertTrue(worst < 4e-3 * 0x1p-24 + 1.2e-10, "worst error " + worst);
        assertTrue(worst > 0, "values went through float");
    }

    @Test
    void weightsStayInDoubleAndUnitWeightsStayAbsent() {
        double[] x = {1, 2, 3, 4};
        double[] w = {0.1, 1e-300};
        DataBlock weighted = FloatBlock.of(new DataBlock(x, w, 2, 2)).toDataBlock();
        assertArrayEquals(w, weighted.weights());
        assertNull(FloatBlock.of(DataBlock.of(x, 2)).toDataBlock().weights());
    }

    @Test
    void emptyBlocksAndOversizedArraysConvert() {
        DataBlock empty = FloatBlock.of(new DataBlock(new double[0], null, 0, 4)).toDataBlock();
        assertEquals(0, empty.rows());
        // Only the used prefix of a longer array is kept.
        DataBlock prefix = FloatBlock.of(new DataBlock(new double[] {1, 2, 3, 99}, null, 3, 1)).toDataBlock();
        assertArrayEquals(new double[] {1, 2, 3}, prefix.values());
    }

    @Test
    void storageNamesParseAndBadOnesSayWhatIsAllowed() {
        assertEquals(BlockStorage.FLOAT, BlockStorage.parse("FLOAT"));
        assertEquals(BlockStorage.DOUBLE, BlockStorage.parse("double"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockStorage.parse("half"));
        assertEquals("block storage must be one of double, float, got 'half'", e.getMessage());
    }
}
