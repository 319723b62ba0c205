package io.mixspark.federated;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.InMemorySiteData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.linalg.Cholesky;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded federated data sets drawn from known mixtures, with held-out rows from the same sites. */
final class Scenarios {

    private Scenarios() {
    }

    /**
     * Sites drawn from one set of components with per-site weights.
     *
     * @param truth       the components (with the population weights of the IID case)
     * @param siteWeights the true mixing weights of each site
     * @param data        the training rows by site
     * @param siteLabels  the true component of every training row, per site
     * @param heldOut     rows drawn from the sites in proportion to their sizes
     */
    record Scenario(Mixture truth, Map<String, double[]> siteWeights, InMemorySiteData data,
                    Map<String, int[]> siteLabels, DataBlock heldOut) {

        int d() {
            return truth.d();
        }

        /** The rows of every site as one centralised data set. */
        InMemoryBlockData pooled() {
            return data.pooled();
        }
    }

    /**
     * Five well-separated but overlapping full-covariance components in three dimensions: centres
     * 4.5 to 7 apart, standard deviations up to about 1.3 along random directions.
     */
    static Mixture fiveComponents(long seed) {
        return fiveComponents(seed, 1.0);
    }

    /** The same layout with the centres scaled by {@code spread}. */
    static Mixture fiveComponents(long seed, double spread) {
        Random random = new Random(seed);
        double[][] means = {{0, 0, 0}, {4.5, 0, 0}, {0, 4.5, 0}, {0, 0, 4.5}, {4, 4, 4}};
        for (double[] m : means) {
            for (int a = 0; a < m.length; a++) {
                m[a] *= spread;
            }
        }
        double[] weights = {0.25, 0.2, 0.2, 0.15, 0.2};
        double[][] covs = new double[5][];
        for (int c = 0; c < 5; c++) {
            covs[c] = rotatedCovariance(3, 0.4, 1.6, random);
        }
        return new Mixture(CovarianceType.FULL, weights, means, covs);
    }

    /** Three components in two dimensions inside the disc of radius 4, for the private fits. */
    static Mixture threeComponents2d(long seed) {
        Random random = new Random(seed);
        double[][] means = {{-2.5, -1}, {2.5, -1.5}, {0, 2.5}};
        double[] weights = {0.4, 0.35, 0.25};
        double[][] covs = new double[3][];
        for (int c = 0; c < 3; c++) {
            covs[c] = rotatedCovariance(2, 0.3, 1.0, random);
        }
        return new Mixture(CovarianceType.FULL, weights, means, covs);
    }

    /** Every site has the truth's weights; sizes drawn uniformly in [minRows, maxRows]. */
    static Scenario iid(Mixture truth, int sites, int minRows, int maxRows, double heldOutShare, long seed) {
        Random random = new Random(seed);
        Map<String, double[]> weights = new LinkedHashMap<>();
        for (int s = 0; s < sites; s++) {
            weights.put(name(s), truth.weights());
        }
        return draw(truth, weights, minRows, maxRows, heldOutShare, random);
    }

    /** Site weights drawn from Dirichlet(alpha, ..., alpha): small alpha leaves components out of sites. */
    static Scenario skewed(Mixture truth, int sites, double alpha, int minRows, int maxRows, double heldOutShare,
                           long seed) {
        Random random = new Random(seed);
        Map<String, double[]> weights = new LinkedHashMap<>();
        for (int s = 0; s < sites; s++) {
            weights.put(name(s), dirichlet(truth.k(), alpha, random));
        }
        return draw(truth, weights, minRows, maxRows, heldOutShare, random);
    }

    /** Sites with the given weights over the truth's components. */
    static Scenario draw(Mixture truth, Map<String, double[]> siteWeights, int minRows, int maxRows,
                         double heldOutShare, Random random) {
        int d = truth.d();
        Map<String, InMemoryBlockData> data = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        int totalHeldOut = 0;
        double[][] heldOutParts = new double[siteWeights.size()][];
        int s = 0;
        for (Map.Entry<String, double[]> e : siteWeights.entrySet()) {
            int n = minRows + random.nextInt(maxRows - minRows + 1);
            int[] lab = new int[n];
            double[] values = sample(truth, e.getValue(), n, random, lab);
            data.put(e.getKey(), InMemoryBlockData.of(values, null, d, 256 + random.nextInt(1024)));
            labels.put(e.getKey(), lab);
            int h = (int) Math.round(n * heldOutShare);
            heldOutParts[s] = sample(truth, e.getValue(), h, random, null);
            totalHeldOut += h;
            s++;
        }
        double[] held = new double[totalHeldOut * d];
        int offset = 0;
        for (double[] part : heldOutParts) {
            System.arraycopy(part, 0, held, offset, part.length);
            offset += part.length;
        }
        return new Scenario(truth, siteWeights, new InMemorySiteData(data), labels, DataBlock.of(held, d));
    }

    /** n rows from the truth's components with other weights (zeros allowed). */
    static double[] sample(Mixture truth, double[] weights, int n, Random random, int[] labels) {
        int d = truth.d();
        double[][] lower = new double[truth.k()][];
        for (int c = 0; c < truth.k(); c++) {
            lower[c] = Cholesky.lowerFactor(GaussianAlgebra.fullCovariances(truth)[c], d);
        }
        double[] out = new double[n * d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int c = 0;
            double cumulative = weights[0];
            while (u >= cumulative && c < weights.length - 1) {
                c++;
                cumulative += weights[c];
            }
            while (c > 0 && weights[c] == 0) {
                c--;
            }
            if (labels != null) {
                labels[i] = c;
            }
            for (int a = 0; a < d; a++) {
                z[a] = random.nextGaussian();
            }
            double[] mu = truth.mean(c);
            for (int a = 0; a < d; a++) {
                double v = mu[a];
                for (int b = 0; b <= a; b++) {
                    v += lower[c][a * d + b] * z[b];
                }
                out[i * d + a] = v;
            }
        }
        return out;
    }

    /** Mean log-likelihood of the held-out rows. */
    static double heldOutMean(Mixture model, DataBlock heldOut) {
        double[] scores = Scoring.scoreSamples(JavaLikelihoodKernel.INSTANCE, model, heldOut);
        double sum = 0;
        for (double v : scores) {
            sum += v;
        }
        return sum / scores.length;
    }

    static String name(int site) {
        return String.format("site-%02d", site);
    }

    /** Q diag(lambda) Q^T with lambda uniform in [lo, hi] and Q a random rotation (Gram-Schmidt). */
    static double[] rotatedCovariance(int d, double lo, double hi, Random random) {
        double[][] q = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int a = 0; a < d; a++) {
                q[j][a] = random.nextGaussian();
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int a = 0; a < d; a++) {
                    dot += q[j][a] * q[p][a];
                }
                for (int a = 0; a < d; a++) {
                    q[j][a] -= dot * q[p][a];
                }
            }
            double norm = 0;
            for (int a = 0; a < d; a++) {
                norm += q[j][a] * q[j][a];
            }
            for (int a = 0; a < d; a++) {
                q[j][a] /= Math.sqrt(norm);
            }
        }
        double[] cov = new double[d * d];
        for (int j = 0; j < d; j++) {
            double lambda = lo + (hi - lo) * random.nextDouble();
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    cov[a * d + b] += lambda * q[j][a] * q[j][b];
                }
            }
        }
        GaussianAlgebra.symmetriseFromLower(cov, d);
        return cov;
    }

    /** A Dirichlet(alpha) draw from normalised gamma variates (Marsaglia-Tsang, boosted for alpha < 1). */
    static double[] dirichlet(int k, double alpha, Random random) {
        double[] g = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            g[c] = gamma(alpha, random);
            sum += g[c];
        }
        for (int c = 0; c < k; c++) {
            g[c] /= sum;
        }
        return g;
    }

    private static double gamma(double shape, Random random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
