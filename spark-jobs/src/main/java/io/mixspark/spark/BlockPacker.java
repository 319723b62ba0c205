package io.mixspark.spark;

import io.mixspark.data.DataBlock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
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
        if (blockRows < 1) {
            throw new IllegalArgumentException("block size must be >= 1 row, got " + blockRows);
        }
        boolean weighted = weightCol != null && !weightCol.isEmpty();
        Dataset<Row> columns = weighted
                ? data.select(functions.col(featuresCol), functions.col(weightCol).cast("double"))
                : data.select(functions.col(featuresCol));
        return columns.javaRDD().mapPartitions(rows -> packPartition(rows, weighted, d, blockRows, featuresCol,
                weightCol));
    }

    private static Iterator<DataBlock> packPartition(Iterator<Row> rows, boolean weighted, int d, int blockRows,
                                                     String featuresCol, String weightCol) {
        List<DataBlock> out = new ArrayList<>();
        double[] values = new double[blockRows * d];
        double[] weights = weighted ? new double[blockRows] : null;
        int n = 0;
        long seen = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            seen++;
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
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("feature " + a + " of column '" + featuresCol + "' is " + x
                            + " in row " + seen + " of its partition");
                }
                values[n * d + a] = x;
            }
            if (weighted) {
                double w = row.isNullAt(1) ? Double.NaN : row.getDouble(1);
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("weight column '" + weightCol + "' is " + w + " in row " + seen
                            + " of its partition; weights must be finite and >= 0");
                }
                weights[n] = w;
            }
            n++;
            if (n == blockRows) {
                out.add(new DataBlock(values, weights, n, d));
                values = new double[blockRows * d];
                weights = weighted ? new double[blockRows] : null;
                n = 0;
            }
        }
        if (n > 0) {
            out.add(new DataBlock(java.util.Arrays.copyOf(values, n * d),
                    weighted ? java.util.Arrays.copyOf(weights, n) : null, n, d));
        }
        return out.iterator();
    }
}
