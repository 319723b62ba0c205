package io.mixspark.gmm;

import io.mixspark.linalg.Cholesky;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Families of Gaussian clusters that differ in shape, with few rows per cluster for the dimension
 * (between d and d^2), used to compare iLA-SDP with EM (docs/SDP.md, "Shape families"). Every
 * cluster has covariance sd^2 I + (long^2 - sd^2) U U^T, with U a few random orthonormal
 * directions (not axis-aligned); the means are separation / sqrt 2 times random orthonormal
 * vectors, so every pair of means is exactly {@code separation} apart. A seed draws the means and
 * the directions ({@link #truth}) and the rows ({@link #draw}).
 */
public enum ShapeFamily {
    /** Three clusters each elongated along one random direction: d = 30, 150 rows each. */
    ELONGATED3("elongated3", 30, 150, 5.0, new Shape(1.0, 5.0, 1), new Shape(1.0, 5.0, 1), new Shape(1.0, 5.0, 1)),
    /** One cluster elongated along a random direction and one compact: d = 50, 200 rows each. */
    ELONGATED_COMPACT("elongated-compact", 50, 200, 3.0, new Shape(1.0, 4.0, 1), new Shape(0.5, 0.5, 0)),
    /**
     * Four clusters of four shapes: a plane, a needle, a small ball and a large ball; d = 12,
     * 80 rows each.
     */
    MIXED4("mixed4", 12, 80, 4.0, new Shape(0.7, 3.0, 2), new Shape(0.7, 4.0, 1), new Shape(0.4, 0.4, 0),
            new Shape(1.5, 1.5, 0));

    /**
     * One cluster's shape: standard deviation {@code sd} in every direction except {@code directions}
     * random ones, where it is {@code longSd}.
     */
    public record Shape(double sd, double longSd, int directions) {
    }

    /** Rows drawn from a family: row-major values, the true cluster of each row, and the true mixture. */
    public record Draw(double[] x, int[] truth, int d, Mixture mixture) {
        public int n() {
            return truth.length;
        }
    }

    private final String id;
    private final int d;
    private final int rowsPerCluster;
    private final double separation;
    private final Shape[] shapes;

    ShapeFamily(String id, int d, int rowsPerCluster, double separation, Shape... shapes) {
        this.id = id;
        this.d = d;
        this.rowsPerCluster = rowsPerCluster;
        this.separation = separation;
        this.shapes = shapes;
    }

    public String id() {
        return id;
    }

    public int d() {
        return d;
    }

    public int k() {
        return shapes.length;
    }

    public int rowsPerCluster() {
        return rowsPerCluster;
    }

    public static ShapeFamily parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ShapeFamily family : values()) {
            if (family.id.equals(t)) {
                return family;
            }
        }
        throw new IllegalArgumentException("shape family must be one of "
                + Arrays.stream(values()).map(ShapeFamily::id).collect(Collectors.joining(", ")) + ", got '" + text
                + "'");
    }

    /** The family's true mixture for a seed (equal weights). */
    public Mixture truth(long seed) {
        return truth(new Random(seed));
    }

    private Mixture truth(Random random) {
        int k = k();
        double[][] means = new double[k][];
        double[][] basis = orthonormal(k, random);
        for (int c = 0; c < k; c++) {
            means[c] = new double[d];
            for (int a = 0; a < d; a++) {
                means[c][a] = separation / Math.sqrt(2) * basis[c][a];
            }
        }
        double[][] covariances = new double[k][];
        for (int c = 0; c < k; c++) {
            Shape shape = shapes[c];
            double[] cov = new double[d * d];
            for (int a = 0; a < d; a++) {
                cov[a * d + a] = shape.sd() * shape.sd();
            }
            double extra = shape.longSd() * shape.longSd() - shape.sd() * shape.sd();
            for (double[] u : orthonormal(shape.directions(), random)) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        cov[a * d + b] += extra * u[a] * u[b];
                    }
                }
            }
            covariances[c] = cov;
        }
        double[] weights = new double[k];
        Arrays.fill(weights, 1.0 / k);
        return new Mixture(CovarianceType.FULL, weights, means, covariances);
    }

    /** {@link #rowsPerCluster()} rows of every cluster, the clusters taking turns row by row. */
    public Draw draw(long seed) {
        Random random = new Random(seed);
        Mixture mixture = truth(random);
        int k = k();
        int n = k * rowsPerCluster;
        double[][] factors = new double[k][];
        for (int c = 0; c < k; c++) {
            factors[c] = Cholesky.lowerFactor(mixture.covariance(c), d);
        }
        double[] x = new double[n * d];
        int[] truth = new int[n];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            int c = i % k;
            truth[i] = c;
            for (int a = 0; a < d; a++) {
                z[a] = random.nextGaussian();
            }
            double[] l = factors[c];
            double[] mean = mixture.mean(c);
            for (int a = 0; a < d; a++) {
                double v = mean[a];
                for (int b = 0; b <= a; b++) {
                    v += l[a * d + b] * z[b];
                }
                x[i * d + a] = v;
            }
        }
        return new Draw(x, truth, d, mixture);
    }

    /** m random orthonormal vectors of length d (Gram-Schmidt on Gaussian vectors). */
    private double[][] orthonormal(int m, Random random) {
        double[][] out = new double[m][d];
        for (int j = 0; j < m; j++) {
            double[] v = out[j];
            for (int a = 0; a < d; a++) {
                v[a] = random.nextGaussian();
            }
            for (int i = 0; i < j; i++) {
                double dot = 0;
                for (int a = 0; a < d; a++) {
                    dot += v[a] * out[i][a];
                }
                for (int a = 0; a < d; a++) {
                    v[a] -= dot * out[i][a];
                }
            }
            double norm = 0;
            for (double value : v) {
                norm += value * value;
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < d; a++) {
                v[a] /= norm;
            }
        }
        return out;
    }
}
