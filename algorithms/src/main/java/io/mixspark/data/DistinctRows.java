package io.mixspark.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Up to {@code limit} distinct rows of a data set: enough to tell whether it holds at least k
 * different points, without keeping more than k of them.
 *
 * @param rows the distinct rows found, at most the pass's limit
 */
public record DistinctRows(List<double[]> rows) implements Serializable {

    /** How many distinct rows were found (at most the limit). */
    public int count() {
        return rows.size();
    }

    /** The pass that keeps the first {@code limit} distinct rows it meets. */
    public static BlockAggregator<DistinctRows> upTo(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        return new BlockAggregator<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public DistinctRows zero() {
                return new DistinctRows(List.of());
            }

            @Override
            public DistinctRows add(DistinctRows acc, DataBlock block) {
                Set<Row> found = rowsOf(acc);
                int d = block.d();
                for (int i = 0; i < block.rows() && found.size() < limit; i++) {
                    found.add(new Row(Arrays.copyOfRange(block.values(), i * d, i * d + d)));
                }
                return of(found);
            }

            @Override
            public DistinctRows merge(DistinctRows left, DistinctRows right) {
                Set<Row> found = rowsOf(left);
                for (double[] row : right.rows) {
                    if (found.size() >= limit) {
                        break;
                    }
                    found.add(new Row(row));
                }
                return of(found);
            }
        };
    }

    private static Set<Row> rowsOf(DistinctRows acc) {
        Set<Row> out = new LinkedHashSet<>();
        acc.rows.forEach(r -> out.add(new Row(r)));
        return out;
    }

    private static DistinctRows of(Set<Row> found) {
        List<double[]> out = new ArrayList<>(found.size());
        found.forEach(r -> out.add(r.values));
        return new DistinctRows(out);
    }

    /** A row compared by value, -0.0 as 0.0. */
    private record Row(double[] values) {
        Row {
            values = values.clone();
            for (int a = 0; a < values.length; a++) {
                values[a] += 0.0;
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && Arrays.equals(values, r.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }
}
