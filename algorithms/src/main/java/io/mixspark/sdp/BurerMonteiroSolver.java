package io.mixspark.sdp;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.SampledRows;
import io.mixspark.init.KMeansPlusPlus;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Burer-Monteiro solver of {@link BurerMonteiroSdp} over rows that stay where they live:
 * every iteration is one {@link FactorData#update} pass whose summary has O(d r + r^2) numbers
 * (see {@link FactorSums}), so nothing n x n, and nothing n x r, reaches the driver.
 *
 * <p>The driver keeps U implicit as scale x V, where V is the partitions' unscaled projected
 * factor: the projection's norm ||max(V, 0)||_F is a global sum, known only after the pass, so
 * the scale is applied on the next pass. From the sums of V it derives G = X^T U, s = U^T 1,
 * U^T y and M = U^T U, hence t = U^T y~ = U^T y + beta (M s - s) without touching the rows; the
 * step change ||dU||_F comes from ||V - U||^2 and &lt;V - U, U&gt;, and the infeasibility of the
 * factor that entered the pass from sum_i (u_i^T s - 1)^2 (so it lags the step by one).
 *
 * <p><b>Rounding</b> for the label-stability stop and the result: the top-K eigenpairs of the
 * r x r matrix M give the embedding E = U Q_K Lambda_K^{-1/2} (the top-K left singular vectors);
 * k-means++ with Lloyd runs on up to {@value #ROUNDING_SAMPLE} embedded rows sampled by hash
 * (all rows when n is smaller), and one pass labels every row by its nearest embedded centre and
 * compares with the previous labels.
 *
 * <p><b>Scale.</b> The k-means SDP's solution does not change when X is scaled, but the
 * augmented Lagrangian's balance between objective and penalty does: the centred rows are scaled
 * so that ||X||_2^2 = {@value #CURVATURE} n, and alpha = 1 / (2 ||X||_2^2 + beta n) as before.
 *
 * <p><b>Start.</b> Random nonnegative rows drawn from each row's hash, or, given centres (for
 * example from sketch-and-lift), the membership matrix of their nearest-centre clustering
 * blended with {@value #WARM_NOISE} / sqrt(n) times that draw.
 */
public final class BurerMonteiroSolver {

    /** Embedded rows the rounding's k-means sees at most. */
    public static final int ROUNDING_SAMPLE = 20000;
    /**
     * ||X||_2^2 / n after scaling the centred rows: it sets the balance between the objective and
     * the penalty beta. Too small a value lets the penalty overwhelm the objective on small n, too
     * large a value the reverse (the sweep behind 5: docs/SDP.md, "Burer-Monteiro over partitions").
     */
    static final double CURVATURE = 5;
    /** Weight of the random draw in a warm start, so that no column of U starts at zero. */
    static final double WARM_NOISE = 1e-3;

    private BurerMonteiroSolver() {
    }

    /**
     * @param data         raw partitions of the rows (unweighted)
     * @param warmCentres  k x d centres to start from, or null for a random start
     * @throws IllegalArgumentException if k is not in 1..n or the warm start does not fit
     */
    public static BurerMonteiroFit solve(FactorData data, int k, BurerMonteiroOptions options, double[] warmCentres) {
        return solve(data, k, options, warmCentres, message -> { });
    }

    /** As {@link #solve(FactorData, int, BurerMonteiroOptions, double[])}, reporting every label check. */
    public static BurerMonteiroFit solve(FactorData data, int k, BurerMonteiroOptions options, double[] warmCentres,
                                         java.util.function.Consumer<String> progress) {
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        int d = data.dimension();
        if (warmCentres != null && warmCentres.length != k * d) {
            throw new IllegalArgumentException("warm start needs " + k + " x " + d + " centres, got "
                    + warmCentres.length + " values");
        }
        double[] gram = data.aggregate(new Gram(d));
        long n = (long) gram[d * d + d];
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + " for " + n + " rows, got " + k);
        }
        int r = 2 * k;
        double[] mean = new double[d];
        for (int a = 0; a < d; a++) {
            mean[a] = gram[d * d + a] / n;
        }
        // Scale the centred rows so that ||X||_2^2 = CURVATURE n: the penalty beta then weighs the same
        // against the objective whatever the data's units (the SDP's solution does not change).
        double largest = largestCentredEigenvalue(gram, mean, n, d);
        double scale = largest > 0 ? Math.sqrt(CURVATURE * n / largest) : 1;
        double beta = options.beta();
        double alpha = 1 / (2 * CURVATURE * n + beta * n);
        long[] sizes = warmCentres == null ? null : data.aggregate(new NearestCounts(warmCentres, k, d));
        // Membership entries are 1 / sqrt(cluster size): the noise must shrink with n as they do.
        FactorSums sums = data.update(new BurerMonteiroMoves.Start(mean, scale, r, options.seed(), warmCentres, sizes,
                WARM_NOISE / Math.sqrt(n)));

        Factor u = Factor.of(sums, k);
        boolean dual = false;
        double change = Double.POSITIVE_INFINITY;
        double infeasibility = Double.POSITIVE_INFINITY;
        boolean converged = false;
        boolean stable = false;
        int agreeing = 0;
        LabelSums labels = null;
        int iteration = 0;
        while (iteration < options.maxIterations()) {
            iteration++;
            double[] ms = u.times(u.s);
            double[] t = new double[r];
            for (int j = 0; j < r; j++) {
                double pushed = beta * (ms[j] - u.s[j]);
                t[j] = u.q[j] + (dual ? 2 : 1) * pushed;
            }
            FactorSums next = data.update(new BurerMonteiroMoves.Step(u.scale, u.g, u.s, t, alpha, beta, dual));
            Factor moved = Factor.of(next, k);
            double c = moved.scale;
            double squared = c * c * next.moved + 2 * c * (c - 1) * next.movedDotU + (c - 1) * (c - 1) * k;
            change = Math.sqrt(Math.max(0, squared) / k);
            infeasibility = Math.sqrt(next.rowSumError / n);
            u = moved;
            dual = change < options.dualStepThreshold();
            if (change < options.tolerance() && infeasibility < options.tolerance()) {
                converged = true;
                break;
            }
            if (iteration % options.labelCheckEvery() == 0) {
                labels = round(data, n, u, k, d, options.seed());
                agreeing = labels.samePartitionAsBefore() ? agreeing + 1 : 1;
                progress.accept(String.format(java.util.Locale.ROOT, "Burer-Monteiro iteration %d: change %.3g,"
                        + " infeasibility %.3g, labels unchanged over %d checks", iteration, change, infeasibility,
                        agreeing - 1));
                if (agreeing >= options.stableChecks() && infeasibility < options.stableInfeasibility()) {
                    stable = true;
                    break;
                }
            }
        }
        if (!stable) {
            labels = round(data, n, u, k, d, options.seed());
        }
        double[] centres = new double[k * d];
        for (int cluster = 0; cluster < k; cluster++) {
            if (labels.counts[cluster] == 0) {
                throw new IllegalStateException("the rounding left cluster " + cluster + " empty");
            }
            for (int a = 0; a < d; a++) {
                centres[cluster * d + a] = labels.sums[cluster * d + a] / labels.counts[cluster] / scale + mean[a];
            }
        }
        return new BurerMonteiroFit(k, d, r, centres, labels.counts.clone(), u.objective(mean, scale, d), iteration, change,
                infeasibility, converged, stable);
    }

    private static LabelSums round(FactorData data, long n, Factor u, int k, int d, long seed) {
        double[] projection = u.embedding(k);
        double fraction = Math.min(1.0, (double) ROUNDING_SAMPLE / n);
        SampledRows sample = data.inspect(new BurerMonteiroMoves.Sample(projection, k, fraction, seed));
        DataBlock rows = sample.toSortedBlock();
        if (rows.rows() < k) {
            throw new IllegalStateException("the rounding sample holds " + rows.rows() + " rows, fewer than k = " + k);
        }
        double[] centres = k == 1 ? new double[k] : KMeansPlusPlus.cluster(new DataBlock(rows.values(), null,
                rows.rows(), k), k, new Random(seed));
        return data.update(new BurerMonteiroMoves.Label(projection, k, centres, d));
    }

    /** U = scale V, through its sums: G = X^T U, s = U^T 1, q = U^T y, M = U^T U. */
    private record Factor(double scale, double[] g, double[] s, double[] q, double[] m, int r) {

        static Factor of(FactorSums sums, int k) {
            double norm = sums.squaredNorm();
            if (!(norm > 0)) {
                throw new IllegalStateException("the projected factor vanished; the step size is too large");
            }
            double c = Math.sqrt(k / norm);
            return new Factor(c, scaled(sums.xtv, c), scaled(sums.vSum, c), scaled(sums.vy, c),
                    scaled(sums.vtv, c * c), sums.r);
        }

        double[] times(double[] vector) {
            double[] out = new double[r];
            for (int j = 0; j < r; j++) {
                for (int l = 0; l < r; l++) {
                    out[j] += m[j * r + l] * vector[l];
                }
            }
            return out;
        }

        /** ||X^T U||_F^2 with X uncentred and unscaled: X^T U = G / scale + mean s^T. */
        double objective(double[] mean, double scale, int d) {
            double total = 0;
            for (int a = 0; a < d; a++) {
                for (int j = 0; j < r; j++) {
                    double value = g[a * r + j] / scale + mean[a] * s[j];
                    total += value * value;
                }
            }
            return total;
        }

        /** P (r x k) with V P = U Q_K Lambda_K^{-1/2}, the top-K left singular vectors of U. */
        double[] embedding(int k) {
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(r, true, true);
            if (!eig.decompose(new DMatrixRMaj(r, r, true, m))) {
                throw new IllegalStateException("symmetric eigendecomposition failed");
            }
            Integer[] order = new Integer[r];
            Arrays.setAll(order, e -> e);
            Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
            double[] projection = new double[r * k];
            for (int c = 0; c < k; c++) {
                double lambda = eig.getEigenvalue(order[c]).real;
                if (lambda > 0) {
                    double[] vector = eig.getEigenVector(order[c]).data;
                    for (int j = 0; j < r; j++) {
                        projection[j * k + c] = scale * vector[j] / Math.sqrt(lambda);
                    }
                }
            }
            return projection;
        }

        private static double[] scaled(double[] values, double c) {
            double[] out = new double[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = c * values[i];
            }
            return out;
        }
    }

    /** ||X_c||_2^2 from X^T X and the column sums: the largest eigenvalue of X^T X - n m m^T. */
    private static double largestCentredEigenvalue(double[] gram, double[] mean, long n, int d) {
        DMatrixRMaj centred = new DMatrixRMaj(d, d);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                centred.set(a, b, gram[a * d + b] - n * mean[a] * mean[b]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(centred)) {
            throw new IllegalStateException("symmetric eigendecomposition failed");
        }
        double largest = 0;
        for (int e = 0; e < d; e++) {
            largest = Math.max(largest, eig.getEigenvalue(e).real);
        }
        return largest;
    }

    /** X^T X (d x d), then the column sums (d), then the number of rows. */
    private record Gram(int d) implements BlockAggregator<double[]> {

        @Override
        public double[] zero() {
            return new double[d * d + d + 1];
        }

        @Override
        public double[] add(double[] acc, DataBlock block) {
            double[] v = block.values();
            acc[d * d + d] += block.rows();
            for (int i = 0; i < block.rows(); i++) {
                for (int a = 0; a < d; a++) {
                    double xa = v[i * d + a];
                    acc[d * d + a] += xa;
                    for (int b = 0; b < d; b++) {
                        acc[a * d + b] += xa * v[i * d + b];
                    }
                }
            }
            return acc;
        }

        @Override
        public double[] merge(double[] left, double[] right) {
            for (int i = 0; i < left.length; i++) {
                left[i] += right[i];
            }
            return left;
        }
    }

    /** Rows nearest to each centre. */
    private record NearestCounts(double[] centres, int k, int d) implements BlockAggregator<long[]> {

        @Override
        public long[] zero() {
            return new long[k];
        }

        @Override
        public long[] add(long[] acc, DataBlock block) {
            for (int label : FactorPartition.nearestCentres(block, centres, k)) {
                acc[label]++;
            }
            return acc;
        }

        @Override
        public long[] merge(long[] left, long[] right) {
            for (int c = 0; c < k; c++) {
                left[c] += right[c];
            }
            return left;
        }
    }
}
