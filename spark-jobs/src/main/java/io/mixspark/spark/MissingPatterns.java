package io.mixspark.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Missing values punched into generated rows, for benchmarks: a few column sets (missingness
 * patterns) drawn so that a given share of all values is missing, and each row missing the
 * columns of one pattern drawn at random. No pattern misses every column, so every row keeps an
 * observed value.
 */
public final class MissingPatterns implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int d;
    private final int[][] patterns;

    private MissingPatterns(int d, int[][] patterns) {
        this.d = d;
        this.patterns = patterns;
    }

    /**
     * {@code count} patterns over d columns whose sizes add up to {@code share * d * count}
     * (rounded), as evenly as possible; distinct when there are enough column sets of those sizes.
     */
    public static MissingPatterns draw(int d, double share, int count, Random random) {
        if (count < 1 || !(share > 0) || share > (d - 1.0) / d) {
            throw new IllegalArgumentException("the missing share must be in (0, " + (d - 1) + "/" + d
                    + "] so that every row keeps an observed value, and there must be at least one pattern; got share "
                    + share + ", " + count + " patterns");
        }
        long total = Math.round(share * d * count);
        Set<List<Integer>> seen = new HashSet<>();
        int[][] out = new int[count][];
        for (int p = 0; p < count; p++) {
            int size = (int) (total / count + (p < total % count ? 1 : 0));
            List<Integer> columns = columns(d, size, random);
            // Redraw a repeated set a few times; with few columns there may be no other.
            for (int attempt = 0; attempt < 100 && seen.contains(columns); attempt++) {
                columns = columns(d, size, random);
            }
            seen.add(columns);
            out[p] = columns.stream().mapToInt(Integer::intValue).toArray();
        }
        return new MissingPatterns(d, out);
    }

    /** {@code size} distinct columns of d, ascending. */
    private static List<Integer> columns(int d, int size, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int a = 0; a < d; a++) {
            all.add(a);
        }
        java.util.Collections.shuffle(all, random);
        List<Integer> picked = new ArrayList<>(all.subList(0, size));
        picked.sort(null);
        return picked;
    }

    public int count() {
        return patterns.length;
    }

    /** The share of values missing when the patterns are taken equally often. */
    public double share() {
        long missing = 0;
        for (int[] p : patterns) {
            missing += p.length;
        }
        return (double) missing / ((long) d * patterns.length);
    }

    /**
     * The rows of {@code vectors} (a table of one vector column) with the values of one pattern per
     * row set to NaN; partition p draws its rows' patterns with its own seeded generator.
     */
    public Dataset<Row> punch(Dataset<Row> vectors, long seed) {
        JavaRDD<Row> rows = vectors.javaRDD().mapPartitionsWithIndex((p, in) -> punched(in, seed * 1_000_003L + p
                + 7919), false);
        return vectors.sparkSession().createDataFrame(rows, vectors.schema());
    }

    private Iterator<Row> punched(Iterator<Row> in, long seed) {
        Random random = new Random(seed);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public Row next() {
                double[] x = ((Vector) in.next().get(0)).toArray();
                for (int a : patterns[random.nextInt(patterns.length)]) {
                    x[a] = Double.NaN;
                }
                return RowFactory.create(Vectors.dense(x));
            }
        };
    }
}
