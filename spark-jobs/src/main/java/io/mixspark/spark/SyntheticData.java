package io.mixspark.spark;

import io.mixspark.gmm.Mixture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows drawn from a known mixture, generated on the executors: partition p draws its share with
 * its own seeded generator, so the data is reproducible for a given seed and partition count.
 */
public final class SyntheticData {

    private SyntheticData() {
    }

    /** Column names x1..xd. */
    public static List<String> featureNames(int d) {
        List<String> names = new ArrayList<>();
        for (int a = 1; a <= d; a++) {
            names.add("x" + a);
        }
        return names;
    }

    /** A table with double columns x1..xd and the integer column {@code label}. */
    public static Dataset<Row> table(SparkSession spark, Mixture truth, long n, int partitions, long seed) {
        if (n < 1 || partitions < 1 || n / partitions > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("need n >= 1 and 1 <= partitions with at most 2^31 rows each; got n="
                    + n + ", partitions=" + partitions);
        }
        StructType schema = new StructType();
        for (String name : featureNames(truth.d())) {
            schema = schema.add(name, DataTypes.DoubleType, false);
        }
        schema = schema.add("label", DataTypes.IntegerType, false);
        List<Integer> ids = IntStream.range(0, partitions).boxed().toList();
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(ids, partitions).mapPartitions(rowsOf(truth, n, partitions, seed)), schema);
    }

    private static FlatMapFunction<Iterator<Integer>, Row> rowsOf(Mixture truth, long n, int parts, long seed) {
        return ids -> {
            int p = ids.next();
            long share = n / parts + (p < n % parts ? 1 : 0);
            Random random = new Random(seed * 1_000_003L + p);
            int d = truth.d();
            int[] labels = new int[(int) share];
            double[] values = truth.sample((int) share, random, labels);
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < share;
                }

                @Override
                public Row next() {
                    Object[] cells = new Object[d + 1];
                    for (int a = 0; a < d; a++) {
                        cells[a] = values[i * d + a];
                    }
                    cells[d] = labels[i];
                    i++;
                    return RowFactory.create(cells);
                }
            };
        };
    }
}
