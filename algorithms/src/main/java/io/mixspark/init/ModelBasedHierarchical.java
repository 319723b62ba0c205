package io.mixspark.init;

import java.util.Arrays;

/**
 * Model-based agglomerative hierarchical clustering for unconstrained (VVV) Gaussian clusters
 * (Banfield and Raftery 1993; Fraley 1998), with mclust's regularised criterion: starting from
 * singletons, each step merges the two groups whose merge lowers the classification
 * likelihood least. A group of n rows with scatter W about its mean costs
 * n log(|W / n| + beta (tr W + alpha) / n), where the determinant counts only once n exceeds
 * the dimension (and never for a pair of singletons), so small groups are judged by their
 * trace. As in mclust's {@code hcVVV}, beta = 1 and alpha = tr(W_all) / (n p), the mean
 * variance of the data.
 *
 * <p>Groups live in slots 0..g-1; a merge keeps the lower slot and moves the last group into
 * the freed one, and among equal costs the merge of the highest pair of slots wins, which is
 * mclust's order. The pairwise costs are kept (n^2 / 2 doubles) with each column's best
 * pair, so a merge costs O(g p^3) work for the new group's costs and O(g) for the search.
 */
public final class ModelBasedHierarchical {

    private final int p;
    private final double alpha;
    private final double abLog;
    /** Per slot: rows, the mean, the scatter about it (p x p), its trace, its cost. */
    private final double[] counts;
    private final double[][] means;
    private final double[][] scatters;
    private final double[] traces;
    private final double[] terms;
    /** Per slot: the smallest original row index in the group, which names the group. */
    private final int[] names;
    /** Merge cost of slots a < b at b (b - 1) / 2 + a. */
    private final double[] costs;
    /** Per column b: the slot a < b of its cheapest merge (the highest on ties) and that cost. */
    private final int[] columnBest;
    private final double[] columnCost;
    private final double[] scratch;
    private final double[] difference;
    private int groups;

    private ModelBasedHierarchical(double[] z, int n, int p) {
        this.p = p;
        this.alpha = Math.max(meanVariance(z, n, p), Math.ulp(1.0));
        this.abLog = Math.log(alpha);
        counts = new double[n];
        means = new double[n][];
        scatters = new double[n][];
        traces = new double[n];
        terms = new double[n];
        names = new int[n];
        for (int i = 0; i < n; i++) {
            counts[i] = 1;
            means[i] = Arrays.copyOfRange(z, i * p, i * p + p);
            traces[i] = 0;
            terms[i] = abLog;
            names[i] = i;
        }
        costs = new double[(int) ((long) n * (n - 1) / 2)];
        columnBest = new int[n];
        columnCost = new double[n];
        scratch = new double[p * p];
        difference = new double[p];
        groups = n;
        for (int b = 1; b < n; b++) {
            for (int a = 0; a < b; a++) {
                costs[index(a, b)] = singletonPairCost(a, b);
            }
            rescanColumn(b);
        }
    }

    /**
     * The merges from n singletons down to one group.
     *
     * @param z row-major n x p values (mclust runs this on its SVD-scaled data)
     * @return n - 1 merges, each {@code {i, j}} with i &lt; j the smallest row index of each
     *         group, as mclust's {@code hc} reports them
     */
    public static int[][] merges(double[] z, int n, int p) {
        if (n < 1 || p < 1 || (long) n * p > z.length) {
            throw new IllegalArgumentException("hierarchical clustering needs n >= 1 rows of p >= 1 values, got n = "
                    + n + ", p = " + p + " with " + z.length + " values");
        }
        ModelBasedHierarchical h = new ModelBasedHierarchical(z, n, p);
        int[][] out = new int[n - 1][];
        for (int step = 0; step < n - 1; step++) {
            out[step] = h.mergeCheapest();
        }
        return out;
    }

    /**
     * The partition into g groups that the merges leave: labels 0..g-1 per row, numbered by each
     * group's first row.
     */
    public static int[] partition(int[][] merges, int n, int g) {
        if (g < 1 || g > n) {
            throw new IllegalArgumentException("a partition of " + n + " rows into g groups needs 1 <= g <= " + n
                    + ", got " + g);
        }
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = i;
        }
        for (int step = 0; step < n - g; step++) {
            int keep = merges[step][0];
            int gone = merges[step][1];
            for (int i = 0; i < n; i++) {
                if (group[i] == gone) {
                    group[i] = keep;
                }
            }
        }
        int[] label = new int[n];
        Arrays.fill(label, -1);
        int[] out = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (label[group[i]] < 0) {
                label[group[i]] = next++;
            }
            out[i] = label[group[i]];
        }
        return out;
    }

    private static int index(int a, int b) {
        return (int) ((long) b * (b - 1) / 2 + a);
    }

    private int[] mergeCheapest() {
        int bestB = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int b = 1; b < groups; b++) {
            if (columnCost[b] <= best) {
                best = columnCost[b];
                bestB = b;
            }
        }
        int i = columnBest[bestB];
        int j = bestB;
        int[] merged = {Math.min(names[i], names[j]), Math.max(names[i], names[j])};
        join(i, j);
        return merged;
    }

    /** Merges slot j into slot i (i &lt; j), moves the last group into slot j, updates the costs. */
    private void join(int i, int j) {
        double ni = counts[i];
        double nj = counts[j];
        double n = ni + nj;
        double[] diff = new double[p];
        for (int a = 0; a < p; a++) {
            diff[a] = means[i][a] - means[j][a];
        }
        double c = ni * nj / n;
        double[] w = scatters[i] == null ? new double[p * p] : scatters[i].clone();
        addScatter(w, scatters[j], diff, c);
        double[] mean = new double[p];
        for (int a = 0; a < p; a++) {
            mean[a] = (ni * means[i][a] + nj * means[j][a]) / n;
        }
        double trace = traces[i] + traces[j] + c * dot(diff, diff);
        double term = term(n, w, trace, ni == 1 && nj == 1);
        counts[i] = n;
        means[i] = mean;
        scatters[i] = w;
        traces[i] = trace;
        terms[i] = term;
        names[i] = Math.min(names[i], names[j]);
        int last = groups - 1;
        if (j != last) {
            counts[j] = counts[last];
            means[j] = means[last];
            scatters[j] = scatters[last];
            traces[j] = traces[last];
            terms[j] = terms[last];
            names[j] = names[last];
            for (int a = 0; a < last; a++) {
                if (a != j) {
                    costs[index(Math.min(a, j), Math.max(a, j))] = costs[index(Math.min(a, last), Math.max(a, last))];
                }
            }
        }
        means[last] = null;
        scatters[last] = null;
        groups = last;
        for (int a = 0; a < groups; a++) {
            if (a != i) {
                costs[index(Math.min(a, i), Math.max(a, i))] = mergedTerm(i, a) - terms[i] - terms[a];
            }
        }
        refreshColumns(i, j);
    }

    /** Column bests after slots i and j changed: their own columns and the entries at rows i, j. */
    private void refreshColumns(int i, int j) {
        for (int b = 1; b < groups; b++) {
            if (b == i || b == j) {
                rescanColumn(b);
                continue;
            }
            int best = columnBest[b];
            if (b > i && best == i || b > j && best == j) {
                rescanColumn(b);
                continue;
            }
            // Only rows i and j of this column changed; the higher row wins a tie.
            int lo = Math.min(i, j);
            int hi = Math.max(i, j);
            if (b > lo) {
                offer(b, lo);
            }
            if (b > hi) {
                offer(b, hi);
            }
        }
    }

    private void offer(int b, int a) {
        double cost = costs[index(a, b)];
        if (cost < columnCost[b] || cost == columnCost[b] && a > columnBest[b]) {
            columnCost[b] = cost;
            columnBest[b] = a;
        }
    }

    private void rescanColumn(int b) {
        double best = Double.POSITIVE_INFINITY;
        int at = -1;
        int base = index(0, b);
        for (int a = 0; a < b; a++) {
            double cost = costs[base + a];
            if (cost <= best) {
                best = cost;
                at = a;
            }
        }
        columnBest[b] = at;
        columnCost[b] = best;
    }

    private double singletonPairCost(int a, int b) {
        double t = 0;
        for (int x = 0; x < p; x++) {
            double e = means[a][x] - means[b][x];
            t += e * e;
        }
        // A pair's scatter trace is half the squared distance; it is always judged by its trace.
        return 2 * Math.log((t / 2 + alpha) / 2) - 2 * abLog;
    }

    /** The cost of the group that merging slots i and a would make. */
    private double mergedTerm(int i, int a) {
        double ni = counts[i];
        double na = counts[a];
        double n = ni + na;
        double c = ni * na / n;
        double[] mi = means[i];
        double[] ma = means[a];
        double trace = traces[i] + traces[a];
        double[] diff = difference;
        for (int x = 0; x < p; x++) {
            diff[x] = mi[x] - ma[x];
            trace += c * diff[x] * diff[x];
        }
        if (n <= p) {
            return n * Math.log((trace + alpha) / n);
        }
        double[] w = scratch;
        Arrays.fill(w, 0);
        if (scatters[i] != null) {
            System.arraycopy(scatters[i], 0, w, 0, p * p);
        }
        addScatter(w, scatters[a], diff, c);
        return term(n, w, trace, false);
    }

    /** n log(|W / n| + (tr W + alpha) / n), the determinant left out while n &lt;= p. */
    private double term(double n, double[] w, double trace, boolean singletonPair) {
        double traceTerm = (trace + alpha) / n;
        if (n <= p || singletonPair || trace == 0) {
            return n * Math.log(traceTerm);
        }
        double logDet = logDeterminant(w, n);
        if (logDet == Double.NEGATIVE_INFINITY) {
            return n * Math.log(traceTerm);
        }
        return n * (logDet <= 0 ? Math.log(Math.exp(logDet) + traceTerm)
                : Math.log1p(Math.exp(-logDet) * traceTerm) + logDet);
    }

    /** log |W / n| by Cholesky in place (W is overwritten), or -infinity when W is singular. */
    private double logDeterminant(double[] w, double n) {
        double[] m = w == scratch ? w : w.clone();
        double sum = 0;
        for (int r = 0; r < p; r++) {
            for (int col = 0; col <= r; col++) {
                double s = m[r * p + col];
                for (int x = 0; x < col; x++) {
                    s -= m[r * p + x] * m[col * p + x];
                }
                if (r == col) {
                    if (!(s > 0)) {
                        return Double.NEGATIVE_INFINITY;
                    }
                    double root = Math.sqrt(s);
                    m[r * p + r] = root;
                    sum += Math.log(root);
                } else {
                    m[r * p + col] = s / m[col * p + col];
                }
            }
        }
        return 2 * sum - p * Math.log(n);
    }

    /** w += other + c diff diff^T (other may be null: a singleton's scatter is zero). */
    private void addScatter(double[] w, double[] other, double[] diff, double c) {
        for (int r = 0; r < p; r++) {
            double cr = c * diff[r];
            for (int col = 0; col < p; col++) {
                w[r * p + col] += cr * diff[col] + (other == null ? 0 : other[r * p + col]);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** tr(W) / (n p): the summed squared deviations from the column means over n p. */
    static double meanVariance(double[] z, int n, int p) {
        double total = 0;
        for (int a = 0; a < p; a++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += z[i * p + a];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                double e = z[i * p + a] - mean;
                total += e * e;
            }
        }
        return total / ((double) n * p);
    }
}
