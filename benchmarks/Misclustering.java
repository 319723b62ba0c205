import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Misclustering of a {@code predictions/} folder (columns {@code label} and {@code cluster}, labels
 * and clusters in 0..k-1) against its labels: one minus the largest share of rows that a matching of
 * clusters to labels gets right, over all k! matchings. Run by {@code benchmarks/misclustering.sh}.
 */
public final class Misclustering {

    private Misclustering() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: misclustering.sh PREDICTIONS K");
            System.exit(2);
        }
        int k = Integer.parseInt(args[1]);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("misclustering").getOrCreate();
        List<Row> counts = spark.read().parquet(args[0]).groupBy("label", "cluster").count().collectAsList();
        long[][] table = new long[k][k];
        long rows = 0;
        for (Row r : counts) {
            table[((Number) r.get(0)).intValue()][((Number) r.get(1)).intValue()] += r.getLong(2);
            rows += r.getLong(2);
        }
        int[] match = new int[k];
        for (int i = 0; i < k; i++) {
            match[i] = i;
        }
        long best = 0;
        do {
            long right = 0;
            for (int i = 0; i < k; i++) {
                right += table[i][match[i]];
            }
            best = Math.max(best, right);
        } while (nextPermutation(match));
        System.out.printf("rows %d misclustering %.5f%n", rows, 1 - (double) best / rows);
        spark.stop();
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        swap(p, i, j);
        for (int l = i + 1, r = p.length - 1; l < r; l++, r--) {
            swap(p, l, r);
        }
        return true;
    }

    private static void swap(int[] p, int a, int b) {
        int t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
}
