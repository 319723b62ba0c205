package io.mixspark.init;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * mclust's default data transformation for its hierarchical start ({@code hcUse = "SVD"}): the
 * columns are centred and scaled to unit variance, then rotated onto their right singular
 * vectors and each divided by the square root of its singular value, Z = X V D^{-1/2}.
 * Columns without spread are left out (mclust drops the non-finite columns they scale to), as
 * are directions whose singular value is zero to machine precision (where mclust would divide
 * by zero).
 */
public final class SvdScaling {

    /** A singular value below this share of the largest counts as zero. */
    private static final double RANK_TOLERANCE = 1e-12;

    private SvdScaling() {
    }

    /** The transformed rows, row-major n x columns with columns &lt;= min(n, p). */
    public record Scaled(double[] values, int columns) {
    }

    public static Scaled transform(double[] x, int n, int p) {
        List<Integer> kept = new ArrayList<>();
        double[] means = new double[p];
        double[] sds = new double[p];
        for (int a = 0; a < p; a++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * p + a];
            }
            mean /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double e = x[i * p + a] - mean;
                ss += e * e;
            }
            means[a] = mean;
            sds[a] = Math.sqrt(ss / (n - 1));
            if (n > 1 && sds[a] > 0 && Double.isFinite(sds[a])) {
                kept.add(a);
            }
        }
        int q = kept.size();
        if (q == 0) {
            throw new IllegalArgumentException("every column of the " + n + " sampled rows is constant; the"
                    + " hierarchical start needs spread in at least one column");
        }
        DMatrixRMaj scaled = new DMatrixRMaj(n, q);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < q; c++) {
                int a = kept.get(c);
                scaled.set(i, c, (x[i * p + a] - means[a]) / sds[a]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, q, false, true, true);
        if (!svd.decompose(scaled.copy())) {
            throw new IllegalStateException("the singular value decomposition of the sampled rows did not converge");
        }
        double[] singular = svd.getSingularValues();
        DMatrixRMaj v = svd.getV(null, false);
        int rank = Math.min(n, q);
        double largest = 0;
        for (int s = 0; s < rank; s++) {
            largest = Math.max(largest, singular[s]);
        }
        List<Integer> directions = new ArrayList<>();
        for (int s = 0; s < rank; s++) {
            if (singular[s] > RANK_TOLERANCE * largest) {
                directions.add(s);
            }
        }
        int r = directions.size();
        double[] out = new double[n * r];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < r; c++) {
                int s = directions.get(c);
                double sum = 0;
                for (int a = 0; a < q; a++) {
                    sum += scaled.get(i, a) * v.get(a, s);
                }
                out[i * r + c] = sum / Math.sqrt(singular[s]);
            }
        }
        return new Scaled(out, r);
    }
}
