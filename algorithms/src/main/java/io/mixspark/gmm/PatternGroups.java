package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a block grouped by missingness pattern (the set of coordinates a row misses), the
 * first step of every pass over rows with missing values ({@link MissingValues}).
 */
final class PatternGroups {

    /** The bits of positive infinity: every NaN's bits, sign cleared, are larger. */
    private static final long INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

    private PatternGroups() {
    }

    /** The rows of a block grouped by the set of coordinates they miss, in order of first appearance. */
    static Map<BitSet, int[]> of(DataBlock block) {
        return block.d() <= Long.SIZE ? byMask(block) : bySet(block);
    }

    /**
     * For d <= 64: each row's pattern is a long bit mask, and rows are grouped through a small
     * open-addressing table, so the pass allocates nothing per row.
     */
    private static Map<BitSet, int[]> byMask(DataBlock block) {
        int d = block.d();
        int n = block.rows();
        double[] v = block.values();
        int[] group = new int[n];
        MaskTable table = new MaskTable();
        for (int i = 0; i < n; i++) {
            long mask = 0;
            for (int a = 0; a < d; a++) {
                // Branch-free: a NaN's magnitude bits exceed infinity's, and missing values fall at random.
                long magnitude = Double.doubleToRawLongBits(v[i * d + a]) & Long.MAX_VALUE;
                mask |= ((INFINITY_BITS - magnitude) >>> 63) << a;
            }
            group[i] = table.groupOf(mask);
        }
        int[][] rows = new int[table.size()][];
        int[] sizes = table.sizes();
        for (int g = 0; g < rows.length; g++) {
            rows[g] = new int[sizes[g]];
        }
        int[] filled = new int[rows.length];
        for (int i = 0; i < n; i++) {
            rows[group[i]][filled[group[i]]++] = i;
        }
        Map<BitSet, int[]> out = new LinkedHashMap<>();
        for (int g = 0; g < rows.length; g++) {
            out.put(BitSet.valueOf(new long[] {table.mask(g)}), rows[g]);
        }
        return out;
    }

    /** Distinct 64-bit masks, numbered in order of first appearance, with how many rows had each. */
    private static final class MaskTable {
        private long[] slots = new long[32];
        private int[] slotGroup = new int[32];
        private long[] masks = new long[8];
        private int[] sizes = new int[8];
        private int groups;

        MaskTable() {
            Arrays.fill(slotGroup, -1);
        }

        int groupOf(long mask) {
            int at = slot(mask);
            if (slotGroup[at] < 0) {
                if (2 * (groups + 1) > slots.length) {
                    grow();
                    at = slot(mask);
                }
                if (groups == masks.length) {
                    masks = Arrays.copyOf(masks, 2 * groups);
                    sizes = Arrays.copyOf(sizes, 2 * groups);
                }
                slots[at] = mask;
                slotGroup[at] = groups;
                masks[groups++] = mask;
            }
            sizes[slotGroup[at]]++;
            return slotGroup[at];
        }

        /** The slot holding mask, or the empty one where it belongs (linear probing). */
        private int slot(long mask) {
            int m = slots.length - 1;
            int at = (int) (mask * 0x9E3779B97F4A7C15L >>> 40) & m;
            while (slotGroup[at] >= 0 && slots[at] != mask) {
                at = (at + 1) & m;
            }
            return at;
        }

        private void grow() {
            long[] oldSlots = slots;
            int[] oldGroups = slotGroup;
            slots = new long[2 * oldSlots.length];
            slotGroup = new int[2 * oldSlots.length];
            Arrays.fill(slotGroup, -1);
            for (int s = 0; s < oldSlots.length; s++) {
                if (oldGroups[s] >= 0) {
                    int at = slot(oldSlots[s]);
                    slots[at] = oldSlots[s];
                    slotGroup[at] = oldGroups[s];
                }
            }
        }

        int size() {
            return groups;
        }

        long mask(int group) {
            return masks[group];
        }

        int[] sizes() {
            return sizes;
        }
    }

    /** For any d: one BitSet per row. */
    private static Map<BitSet, int[]> bySet(DataBlock block) {
        Map<BitSet, List<Integer>> groups = new LinkedHashMap<>();
        int d = block.d();
        double[] v = block.values();
        for (int i = 0; i < block.rows(); i++) {
            BitSet missing = new BitSet(d);
            for (int a = 0; a < d; a++) {
                if (Double.isNaN(v[i * d + a])) {
                    missing.set(a);
                }
            }
            groups.computeIfAbsent(missing, m -> new ArrayList<>()).add(i);
        }
        Map<BitSet, int[]> out = new LinkedHashMap<>();
        groups.forEach((m, rows) -> out.put(m, rows.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }
}
