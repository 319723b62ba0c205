package io.mixspark.sdp;

import java.util.Random;

/**
 * The exact-recovery setting of the authors' simulations (REFERENCES, "SDP K-means"): K equal
 * clusters with isotropic noise sigma and centres mu_k = (Delta / sqrt 2) e_k, so every pair of
 * centres is exactly Delta apart, with Delta = l * sqrt(4 sigma^2 (1 + sqrt(1 + K p / (n log n))) log n)
 * (Chen and Yang, IEEE Trans. Inf. Theory 67(6), 2021).
 */
record IsotropicMixture(double[] x, int[] truth, int n, int p, int k, double delta) {

    static double separation(double level, int n, int p, int k, double sigma) {
        double logN = Math.log(n);
        return level * Math.sqrt(4 * sigma * sigma * (1 + Math.sqrt(1 + k * p / (n * logN))) * logN);
    }

    /** n rows with labels i mod k (balanced up to one row), in dimension p >= k. */
    static IsotropicMixture draw(int n, int p, int k, double level, long seed) {
        if (p < k || n < k) {
            throw new IllegalArgumentException("need p >= k and n >= k, got n=" + n + ", p=" + p + ", k=" + k);
        }
        double delta = separation(level, n, p, k, 1.0);
        Random random = new Random(seed);
        double[] x = new double[n * p];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % k;
            for (int a = 0; a < p; a++) {
                x[i * p + a] = random.nextGaussian();
            }
            x[i * p + truth[i]] += delta / Math.sqrt(2);
        }
        return new IsotropicMixture(x, truth, n, p, k, delta);
    }
}
