package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.linalg.Cholesky;
import io.mixspark.linalg.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each model's M-step on the scatters of soft clusters: its covariances obey the model's
 * constraint, and the expected complete-data log-likelihood it reaches is at least that of every
 * model it nests (a letter I, E or V may only loosen: I below E below V).
 */
class ConstrainedCovariancesTest {

    private static final int D = 4;
    private static final int K = 3;

    /** Counts and full scatters of three soft clusters of skewed, correlated rows. */
    private record Clusters(double[] counts, double[][] scatters) {
    }

    private static Clusters clusters(long seed) {
        Random random = new Random(seed);
        int n = 400;
        double[] counts = new double[K];
        double[][] sums = new double[K][D];
        double[][] raw = new double[K][D * D];
        for (int i = 0; i < n; i++) {
            double[] x = new double[D];
            int c = i % K;
            for (int a = 0; a < D; a++) {
                x[a] = (c + 1) * random.nextGaussian() * (a + 1) + (a > 0 ? 0.7 * x[a - 1] * (c - 1) : 0) + 3 * c;
            }
            double[] r = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            r[c] += 4;
            double total = r[0] + r[1] + r[2];
            for (int j = 0; j < K; j++) {
                double w = r[j] / total;
                counts[j] += w;
                for (int a = 0; a < D; a++) {
                    sums[j][a] += w * x[a];
                    for (int b = 0; b < D; b++) {
                        raw[j][a * D + b] += w * x[a] * x[b];
                    }
                }
            }
        }
        double[][] scatters = new double[K][D * D];
        for (int j = 0; j < K; j++) {
            for (int a = 0; a < D; a++) {
                for (int b = 0; b < D; b++) {
                    scatters[j][a * D + b] = raw[j][a * D + b] - sums[j][a] * sums[j][b] / counts[j];
                }
            }
        }
        return new Clusters(counts, scatters);
    }

    /** The model's covariances as full matrices. */
    private static double[][] fit(CovarianceType type, Clusters s) {
        double[][] input = new double[K][];
        for (int c = 0; c < K; c++) {
            input[c] = type.needsFullScatter() ? s.scatters()[c] : Dense.diagonal(s.scatters()[c], D);
        }
        double[][] packed = ConstrainedCovariances.estimate(type, s.counts(), input, D, null, m -> { });
        double[][] full = new double[K][];
        for (int c = 0; c < K; c++) {
            full[c] = switch (type.storage()) {
                case FULL, TIED -> packed[c];
                case DIAG -> Dense.compose(Dense.identity(D), packed[c], D);
                case SPHERICAL -> Dense.scaled(Dense.identity(D), packed[c][0]);
            };
        }
        return full;
    }

    /** sum_k n_k log det Sigma_k + tr(W_k Sigma_k^-1): minus twice Q, up to constants. */
    private static double minusTwiceQ(double[][] covariances, Clusters s) {
        double total = 0;
        for (int c = 0; c < K; c++) {
            double[] p = Cholesky.precisionFactor(covariances[c], D);
            double trace = 0;
            for (double v : Dense.rotatedDiagonal(s.scatters()[c], p, D)) {
                trace += v;
            }
            total += -2 * s.counts()[c] * Cholesky.logDiagonalSum(p, D) + trace;
        }
        return total;
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void theCovariancesObeyTheModel(CovarianceType type) {
        assertObeys(type, fit(type, clusters(1)));
    }

    /** Drawn mixtures (the generate command's truth) obey their model too. */
    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void randomMixturesObeyTheirModel(CovarianceType type) {
        Mixture m = RandomMixtures.draw(K, D, type, 3, new Random(7));
        double[][] sigma = new double[K][];
        for (int c = 0; c < K; c++) {
            sigma[c] = Mixture.flatten(m.covarianceMatrix(c));
        }
        assertObeys(type, sigma);
    }

    @org.junit.jupiter.api.Test
    void univariateModelsAreDrawnForOneFeatureOnly() {
        Mixture e = RandomMixtures.draw(3, 1, CovarianceType.E, 3, new Random(7));
        assertEquals(e.covariance(0)[0], e.covariance(2)[0], 0.0);
        Mixture v = RandomMixtures.draw(3, 1, CovarianceType.V, 3, new Random(7));
        assertTrue(v.covariance(0)[0] != v.covariance(2)[0]);
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> RandomMixtures.draw(2, 3, CovarianceType.V, 3, new Random(7)));
        assertTrue(wide.getMessage().contains("V is for one feature, got d=3"), wide.getMessage());
    }

    /**
     * Equal volumes (determinants), equal shapes (eigenvalues over the volume), a common
     * orientation (the matrices commute), identity shape (spherical), identity orientation (diagonal),
     * as the model's letters say.
     */
    static void assertObeys(CovarianceType type, double[][] sigma) {
        String name = type.id();
        double[] volume = new double[K];
        double[][] shape = new double[K][];
        for (int c = 0; c < K; c++) {
            double[] values = SymmetricEigen.of(sigma[c], D).values();
            volume[c] = Dense.geometricMean(values);
            shape[c] = Dense.scaled(values, 1 / volume[c]);
        }
        for (int c = 1; c < K; c++) {
            if (name.charAt(0) == 'E') {
                assertEquals(volume[0], volume[c], 1e-9 * volume[0], name + ": volume " + c);
            }
            for (int a = 0; a < D; a++) {
                if (name.charAt(1) == 'E') {
                    assertEquals(shape[0][a], shape[c][a], 1e-7, name + ": shape " + c);
                }
            }
            if (name.charAt(1) != 'I' && name.charAt(2) == 'E') {
                double[] ab = Dense.times(sigma[0], sigma[c], D);
                double[] ba = Dense.times(sigma[c], sigma[0], D);
                for (int i = 0; i < D * D; i++) {
                    assertEquals(ab[i], ba[i], 1e-8 * Math.abs(ab[i]) + 1e-10, name + ": orientation " + c);
                }
            }
        }
        for (int c = 0; c < K; c++) {
            for (int a = 0; a < D; a++) {
                if (name.charAt(1) == 'I') {
                    assertEquals(1.0, shape[c][a], 1e-12, name + ": spherical " + c);
                }
                for (int b = 0; b < D; b++) {
                    if (a != b && name.charAt(2) == 'I') {
                        assertEquals(0.0, sigma[c][a * D + b], 0.0, name + ": diagonal " + c);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void noModelFitsWorseThanAModelItNests(long seed) {
        Clusters s = clusters(seed);
        List<String> worse = new ArrayList<>();
        for (CovarianceType looser : CovarianceType.multivariate()) {
            double q = minusTwiceQ(fit(looser, s), s);
            for (CovarianceType tighter : CovarianceType.multivariate()) {
                if (looser != tighter && nests(looser, tighter)) {
                    double t = minusTwiceQ(fit(tighter, s), s);
                    if (q > t + 1e-9 * Math.abs(t)) {
                        worse.add(looser.id() + " " + q + " > " + tighter.id() + " " + t);
                    }
                }
            }
        }
        assertTrue(worse.isEmpty(), "seed " + seed + ": " + worse);
    }

    /** Whether every letter of {@code tighter} is at most the same letter of {@code looser} (I < E < V). */
    private static boolean nests(CovarianceType looser, CovarianceType tighter) {
        String order = "IEV";
        for (int i = 0; i < 3; i++) {
            if (order.indexOf(tighter.id().charAt(i)) > order.indexOf(looser.id().charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"VEI", "EVI", "VEE", "EVE", "VVE", "VEV", "EVV"})
    void aSingularScatterFailsTheModelsThatDivideByItsVolume(CovarianceType type) {
        Clusters s = clusters(1);
        double[][] scatters = s.scatters().clone();
        scatters[1] = new double[D * D];
        scatters[1][0] = 1;
        double[][] input = new double[K][];
        for (int c = 0; c < K; c++) {
            input[c] = type.needsFullScatter() ? scatters[c] : Dense.diagonal(scatters[c], D);
        }
        NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> ConstrainedCovariances.estimate(type, s.counts(), input, D, null, m -> { }));
        assertTrue(e.getMessage().contains(type.id() + " M-step"), e.getMessage());
    }
}
