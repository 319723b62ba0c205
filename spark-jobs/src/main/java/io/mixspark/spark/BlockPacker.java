package io.mixspark.spark;

import io.mixspark.data.DataBlock;
import io.mixspark.data.MissingValueMode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Packs a vector column (and an optional weight column) into row-major {@link DataBlock}s, once
 * per partition, so that EM iterations touch no per-row objects.
 */
public final class BlockPacker {

    /** Rows per block: large enough to amortise per-block work, small enough to stay in cache. */
    public static final int DEFAULT_BLOCK_ROWS = 4096;

    private BlockPacker() {
    }

    /**
     * @param weightCol null or empty for unit weights
     * @throws IllegalArgumentException on the first row whose vector has another size, or whose
     *                                  features or weight are not finite, or whose weight is negative
     */
    public static JavaRDD<DataBlock> pack(Dataset<?> data, String featuresCol, String weightCol, int d, int blockRows) {
        return pack(data, featuresCol, weightCol, d, blockRows, MissingValueMode.ERROR, "", null);
    }

    /**
     * As {@link #pack(Dataset, String, String, int, int)}, with rows that miss feature values (NaN)
     * refused, left out, or kept with their NaNs for EM, as {@code missing} says; infinite values
     * are refused in every mode.
     */
    public static JavaRDD<DataBlock> pack(Dataset<?> data, String featuresCol, String weightCol, int d, int blockRows,
                                          MissingValueMode missing) {
        return pack(data, featuresCol, weightCol, d, blockRows, missing, null);
    }

    /**
     * A column of known components: an integer component index per row, null or negative for a
     * row whose component is not known; known rows weigh {@code weight} times their row weight.
     */
    public record KnownLabels(String column, double weight) implements Serializable {
        public KnownLabels {
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("the weight of labelled rows must be a finite number > 0, got "
                        + weight);
            }
        }
    }

    /**
     * As {@link #pack(Dataset, String, String, int, int, MissingValueMode)}, with rows' known
     * components ({@code labels} null when none is known).
     */
    public static JavaRDD<DataBlock> pack(Dataset<?> data, String featuresCol, String weightCol, int d, int blockRows,
                                          MissingValueMode missing, KnownLabels labels) {
        return pack(data, featuresCol, weightCol, d, blockRows, missing,
                "; to keep such rows for EM or leave them out, set missing to 'em' or 'skip'", labels);
    }

    /**
     * @param nanHint appended to the error for a NaN: how the caller can accept one
     * @param labels  null when no row's component is known
     */
    private static JavaRDD<DataBlock> pack(Dataset<?> data, String featuresCol, String weightCol, int d, int blockRows,
                                           MissingValueMode missing, String nanHint, KnownLabels labels) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("block size must be >= 1 row, got " + blockRows);
        }
        boolean weighted = weightCol != null && !weightCol.isEmpty();
        List<Column> selected = new ArrayList<>();
        selected.add(functions.col(featuresCol));
        if (weighted) {
            selected.add(functions.col(weightCol).cast("double"));
        }
        if (labels != null) {
            selected.add(functions.col(labels.column()).cast("int"));
        }
        Dataset<Row> columns = data.select(selected.toArray(Column[]::new));
        JavaRDD<Row> rows = missing == MissingValueMode.SKIP
                ? columns.javaRDD().filter(row -> !missesValues(row)) : columns.javaRDD();
        boolean keepNaN = missing == MissingValueMode.EM;
        return rows.mapPartitions(part -> packPartition(part, weighted, d, blockRows, featuresCol, weightCol, keepNaN,
                nanHint, labels));
    }

    /** Whether the row's vector holds a NaN (a null vector is left for packing to report). */
    private static boolean missesValues(Row row) {
        Vector v = row.getAs(0);
        if (v == null) {
            return false;
        }
        for (int a = 0; a < v.size(); a++) {
            if (Double.isNaN(v.apply(a))) {
                return true;
            }
        }
        return false;
    }

    /** Packs lazily, a block at a time, so a partition never sits in memory as blocks and rows at once. */
    private static Iterator<DataBlock> packPartition(Iterator<Row> rows, boolean weighted, int d, int blockRows,
                                                     String featuresCol, String weightCol, boolean keepNaN,
                                                     String nanHint, KnownLabels labels) {
        int labelIndex = weighted ? 2 : 1;
        return new Iterator<>() {
            private long seen;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public DataBlock next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                double[] values = new double[blockRows * d];
                boolean hasWeights = weighted || (labels != null && labels.weight() != 1.0);
                double[] weights = hasWeights ? new double[blockRows] : null;
                int[] known = labels == null ? null : new int[blockRows];
                int n = 0;
                while (n < blockRows && rows.hasNext()) {
                    Row row = rows.next();
                    seen++;
                    readRow(row, values, n * d, d, featuresCol, seen, keepNaN, nanHint);
                    if (hasWeights) {
                        weights[n] = weighted ? readWeight(row, weightCol, seen) : 1.0;
                    }
                    if (known != null) {
                        known[n] = row.isNullAt(labelIndex) || row.getInt(labelIndex) < 0 ? DataBlock.UNLABELLED
                                : row.getInt(labelIndex);
                        if (hasWeights && known[n] != DataBlock.UNLABELLED) {
                            weights[n] *= labels.weight();
                        }
                    }
                    n++;
                }
                if (n < blockRows) {
                    values = Arrays.copyOf(values, n * d);
                    weights = hasWeights ? Arrays.copyOf(weights, n) : null;
                    known = known == null ? null : Arrays.copyOf(known, n);
                }
                return new DataBlock(values, weights, n, d, known);
            }
        };
    }

    private static void readRow(Row row, double[] values, int offset, int d, String featuresCol, long seen,
                                boolean keepNaN, String nanHint) {
        Vector v = row.getAs(0);
        if (v == null) {
            throw new IllegalArgumentException("column '" + featuresCol + "' is null in row " + seen
                    + " of its partition");
        }
        if (v.size() != d) {
            throw new IllegalArgumentException("column '" + featuresCol + "' has " + v.size()
                    + " values in row " + seen + " of its partition, expected " + d);
        }
        for (int a = 0; a < d; a++) {
            double x = v.apply(a);
            if (!Double.isFinite(x) && !(keepNaN && Double.isNaN(x))) {
                throw new IllegalArgumentException("feature " + a + " of column '" + featuresCol + "' is " + x
                        + " in row " + seen + " of its partition" + (Double.isNaN(x) ? nanHint : ""));
            }
            values[offset + a] = x;
        }
    }

    private static double readWeight(Row row, String weightCol, long seen) {
        double w = row.isNullAt(1) ? Double.NaN : row.getDouble(1);
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("weight column '" + weightCol + "' is " + w + " in row " + seen
                    + " of its partition; weights must be finite and >= 0");
        }
        return w;
    }
}
