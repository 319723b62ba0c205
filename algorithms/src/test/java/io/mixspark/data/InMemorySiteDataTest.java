package io.mixspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemorySiteDataTest {

    /** Sums the first column, scaled by a per-site factor, to tell the aggregators apart. */
    record ScaledSum(double factor) implements BlockAggregator<double[]> {
        @Override
        public double[] zero() {
            return new double[1];
        }

        @Override
        public double[] add(double[] acc, DataBlock block) {
            for (int i = 0; i < block.rows(); i++) {
                acc[0] += factor * block.values()[i * block.d()];
            }
            return acc;
        }

        @Override
        public double[] merge(double[] left, double[] right) {
            return new double[] {left[0] + right[0]};
        }
    }

    private static InMemorySiteData threeSites() {
        double[] values = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50};
        String[] sites = {"b", "a", "b", "c", "a"};
        return InMemorySiteData.split(values, 2, sites, 1);
    }

    @Test
    void splitKeepsFirstOccurrenceOrderAndRowOrder() {
        InMemorySiteData data = threeSites();
        assertEquals(List.of("b", "a", "c"), data.sites());
        assertEquals(2, data.dimension());
        InMemoryBlockData b = (InMemoryBlockData) data.site("b");
        assertEquals(2, b.blocks().size());
        assertArrayEquals(new double[] {1, 10}, b.blocks().get(0).row(0));
        assertArrayEquals(new double[] {3, 30}, b.blocks().get(1).row(0));
    }

    @Test
    void everySiteIsFoldedWithItsOwnAggregator() {
        InMemorySiteData data = threeSites();
        Map<String, ScaledSum> perSite = new LinkedHashMap<>();
        perSite.put("c", new ScaledSum(100));
        perSite.put("b", new ScaledSum(1));
        Map<String, double[]> out = data.aggregateBySite(perSite);
        assertEquals(List.of("b", "c"), List.copyOf(out.keySet()), "results in site order, only the sites asked");
        assertEquals(1 + 3, out.get("b")[0]);
        assertEquals(100 * 4, out.get("c")[0]);
        Map<String, RowCounts> counts = data.rowCounts();
        assertEquals(2, counts.get("a").rows());
        assertEquals(5, data.pooled().aggregate(RowCounts.pass()).rows());
    }

    @Test
    void unknownSitesAndMixedDimensionsAreRejected() {
        InMemorySiteData data = threeSites();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> data.aggregateBySite(Map.of("zz", new ScaledSum(1))));
        assertTrue(e.getMessage().contains("'zz'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> data.site("nope"));
        Map<String, InMemoryBlockData> mixed = new LinkedHashMap<>();
        mixed.put("x", InMemoryBlockData.of(new double[] {1, 2}, 2));
        mixed.put("y", InMemoryBlockData.of(new double[] {1, 2, 3}, 3));
        e = assertThrows(IllegalArgumentException.class, () -> new InMemorySiteData(mixed));
        assertTrue(e.getMessage().contains("'y' has 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InMemorySiteData(Map.of()));
    }
}
