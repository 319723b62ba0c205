package io.mixspark.gmm;

/**
 * A mixture seen through one pattern of observed coordinates: the marginal mixture on those
 * coordinates (what the E-step scores a row with), and per component the linear map from an
 * observed row to the conditional mean of its missing coordinates, with the conditional
 * covariance that is left (Ghahramani & Jordan, 1994):
 *
 * <pre>
 *   E[x_m | x_o] - mu_m = B (x_o - mu_o),   B = S_mo S_oo^-1,   C = S_mm - B S_om.
 * </pre>
 *
 * Diagonal and spherical covariances have B = 0 and C = diag(S_mm). For tied covariances B and
 * C are the same for every component.
 */
final class MarginalMixture {

    private final int[] observed;
    private final int[] missing;
    private final Mixture marginal;
    /** Per component, B as row-major |m| x |o|; null when the covariance is diagonal. */
    private final double[][] lift;
    /** Per component, C as row-major |m| x |m|, or its diagonal (|m|) for diagonal covariances. */
    private final double[][] conditional;
    /** The whole model's means, row-major k x d. */
    private final double[] means;
    private final int d;

    private MarginalMixture(Mixture model, int[] observed, int[] missing, Mixture marginal, double[][] lift,
                            double[][] conditional) {
        this.means = model.meansView();
        this.d = model.d();
        this.observed = observed;
        this.missing = missing;
        this.marginal = marginal;
        this.lift = lift;
        this.conditional = conditional;
    }

    /** The view of {@code model} through the coordinates {@code observed} (ascending, non-empty). */
    static MarginalMixture of(Mixture model, int[] observed) {
        int d = model.d();
        int o = observed.length;
        int[] missing = complement(observed, d);
        int m = missing.length;
        int k = model.k();
        CovarianceType type = model.covarianceType();
        double[][] means = new double[k][o];
        double[][] covariances = new double[k][];
        double[][] lift = type.needsFullScatter() ? new double[k][] : null;
        double[][] conditional = new double[k][];
        for (int c = 0; c < k; c++) {
            double[] mu = model.mean(c);
            for (int i = 0; i < o; i++) {
                means[c][i] = mu[observed[i]];
            }
            double[] cov = model.covariance(c);
            switch (type.storage()) {
                case SPHERICAL -> {
                    covariances[c] = cov;
                    conditional[c] = filled(m, cov[0]);
                }
                case DIAG -> {
                    covariances[c] = pick(cov, observed);
                    conditional[c] = pick(cov, missing);
                }
                case FULL, TIED -> covariances[c] = block(cov, d, observed, observed);
            }
        }
        Mixture marginal = new Mixture(type, model.weights(), means, covariances);
        if (lift != null) {
            for (int c = 0; c < k; c++) {
                if (type.storage() == CovarianceStorage.TIED && c > 0) {
                    lift[c] = lift[0];
                    conditional[c] = conditional[0];
                    continue;
                }
                double[] cov = model.covariance(c);
                double[] smo = block(cov, d, missing, observed);
                lift[c] = timesInverse(smo, m, o, marginal.precisionFactorView(c));
                conditional[c] = schurComplement(block(cov, d, missing, missing), lift[c], smo, m, o);
            }
        }
        return new MarginalMixture(model, observed, missing, marginal, lift, conditional);
    }

    Mixture marginal() {
        return marginal;
    }

    int[] observed() {
        return observed;
    }

    int[] missing() {
        return missing;
    }

    /**
     * Adds statistics gathered on the observed coordinates under {@link #marginal()} (centred on
     * its means) into statistics of the whole model (centred on the model's means): the expected
     * complete-data sums and scatters of the same rows.
     */
    void liftInto(SufficientStatistics observedStats, SufficientStatistics into) {
        int k = into.k();
        int d = into.d();
        int o = observed.length;
        int m = missing.length;
        boolean full = into.fullScatter();
        double[] counts = into.countsForKernel();
        double[] sums = into.sumsView();
        double[] scatters = into.scattersView();
        double[] subSums = observedStats.sumsView();
        double[] subScatters = observedStats.scattersView();
        int subSize = observedStats.scatterSize();
        for (int c = 0; c < k; c++) {
            double n = observedStats.count(c);
            counts[c] += n;
            double[] s = new double[o];
            System.arraycopy(subSums, c * o, s, 0, o);
            for (int i = 0; i < o; i++) {
                sums[c * d + observed[i]] += s[i];
            }
            int base = c * into.scatterSize();
            if (!full) {
                for (int i = 0; i < o; i++) {
                    scatters[base + observed[i]] += subScatters[c * subSize + i];
                }
                for (int j = 0; j < m; j++) {
                    scatters[base + missing[j]] += n * conditional[c][j];
                }
                continue;
            }
            double[] t = symmetric(subScatters, c * subSize, o);
            double[] b = lift[c];
            double[] bs = multiply(b, s, m, o, 1);
            double[] bt = multiply(b, t, m, o, o);
            double[] btb = multiplyTransposed(bt, b, m, o, m);
            for (int j = 0; j < m; j++) {
                sums[c * d + missing[j]] += bs[j];
            }
            for (int i = 0; i < o; i++) {
                for (int i2 = 0; i2 <= i; i2++) {
                    addLower(scatters, base, d, observed[i], observed[i2], t[i * o + i2]);
                }
            }
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < o; i++) {
                    addLower(scatters, base, d, missing[j], observed[i], bt[j * o + i]);
                }
                for (int j2 = 0; j2 <= j; j2++) {
                    addLower(scatters, base, d, missing[j], missing[j2],
                            btb[j * m + j2] + n * conditional[c][j * m + j2]);
                }
            }
        }
        into.addTotals(observedStats.rows(), observedStats.totalWeight(), observedStats.logLikelihood(),
                observedStats.sumLogMaxResponsibility());
    }

    /**
     * The conditional mean of the missing coordinates of one row under component c: reads the
     * observed coordinates of {@code row} at {@code offset}, writes the missing ones of
     * {@code into} at {@code intoOffset}.
     */
    void conditionalMean(int c, double[] row, int offset, double[] into, int intoOffset) {
        double[] mu = marginal.mean(c);
        int o = observed.length;
        for (int j = 0; j < missing.length; j++) {
            double v = means[c * d + missing[j]];
            if (lift != null) {
                for (int i = 0; i < o; i++) {
                    v += lift[c][j * o + i] * (row[offset + observed[i]] - mu[i]);
                }
            }
            into[intoOffset + missing[j]] = v;
        }
    }

    private static void addLower(double[] scatters, int base, int d, int a, int b, double value) {
        if (a >= b) {
            scatters[base + a * d + b] += value;
        } else {
            scatters[base + b * d + a] += value;
        }
    }

    static int[] complement(int[] observed, int d) {
        int[] out = new int[d - observed.length];
        int j = 0;
        int next = 0;
        for (int a = 0; a < d; a++) {
            if (next < observed.length && observed[next] == a) {
                next++;
            } else {
                out[j++] = a;
            }
        }
        return out;
    }

    private static double[] filled(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static double[] pick(double[] values, int[] at) {
        double[] out = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = values[at[i]];
        }
        return out;
    }

    /** Rows {@code rows} and columns {@code cols} of a row-major d x d matrix. */
    private static double[] block(double[] matrix, int d, int[] rows, int[] cols) {
        double[] out = new double[rows.length * cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out[i * cols.length + j] = matrix[rows[i] * d + cols[j]];
            }
        }
        return out;
    }

    /** A (m x o) times S_oo^-1, with S_oo^-1 = P P^T for the upper-triangular precision factor P. */
    private static double[] timesInverse(double[] a, int m, int o, double[] p) {
        double[] ap = multiply(a, p, m, o, o);
        return multiplyTransposed(ap, p, m, o, o);
    }

    /** S_mm - B S_om, with S_om = S_mo^T. */
    private static double[] schurComplement(double[] smm, double[] b, double[] smo, int m, int o) {
        double[] out = smm.clone();
        double[] bsom = multiplyTransposed(b, smo, m, o, m);
        for (int i = 0; i < m * m; i++) {
            out[i] -= bsom[i];
        }
        // Symmetrise: rounding leaves the two triangles a few ulps apart.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (out[i * m + j] + out[j * m + i]);
                out[i * m + j] = v;
                out[j * m + i] = v;
            }
        }
        return out;
    }

    /** Row-major (r x n) times (n x c). */
    private static double[] multiply(double[] a, double[] b, int r, int n, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int l = 0; l < n; l++) {
                double ail = a[i * n + l];
                if (ail == 0) {
                    continue;
                }
                for (int j = 0; j < c; j++) {
                    out[i * c + j] += ail * b[l * c + j];
                }
            }
        }
        return out;
    }

    /** Row-major (r x n) times the transpose of (c x n). */
    private static double[] multiplyTransposed(double[] a, double[] b, int r, int n, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double sum = 0;
                for (int l = 0; l < n; l++) {
                    sum += a[i * n + l] * b[j * n + l];
                }
                out[i * c + j] = sum;
            }
        }
        return out;
    }

    /** The symmetric o x o matrix from the lower triangle stored at {@code offset}. */
    private static double[] symmetric(double[] lowerTriangle, int offset, int o) {
        double[] out = new double[o * o];
        for (int i = 0; i < o; i++) {
            for (int j = 0; j <= i; j++) {
                double v = lowerTriangle[offset + i * o + j];
                out[i * o + j] = v;
                out[j * o + i] = v;
            }
        }
        return out;
    }
}
