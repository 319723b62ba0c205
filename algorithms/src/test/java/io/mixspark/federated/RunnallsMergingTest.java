package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runnalls' merge and cost against direct computations, and the KL closed form. */
class RunnallsMergingTest {

    private static double[] randomMean(Random r, int d, double scale) {
        double[] m = new double[d];
        for (int a = 0; a < d; a++) {
            m[a] = scale * r.nextGaussian();
        }
        return m;
    }

    @Test
    void mergeEqualsTheMomentsOfTheTwoComponentMixture() {
        Random r = new Random(1);
        int d = 3;
        for (int trial = 0; trial < 20; trial++) {
            double wi = 0.1 + r.nextDouble();
            double wj = 0.1 + r.nextDouble();
            double[] mi = randomMean(r, d, 3);
            double[] mj = randomMean(r, d, 3);
            double[] si = Scenarios.rotatedCovariance(d, 0.2, 2, r);
            double[] sj = Scenarios.rotatedCovariance(d, 0.2, 2, r);
            RunnallsMerging.Merged m = RunnallsMerging.merge(wi, mi, si, wj, mj, sj);
            // Direct: E[x] and E[x x^T] of the mixture, then Cov = E[x x^T] - E[x] E[x]^T.
            double li = wi / (wi + wj);
            double lj = wj / (wi + wj);
            assertEquals(wi + wj, m.weight(), 1e-15);
            for (int a = 0; a < d; a++) {
                double mean = li * mi[a] + lj * mj[a];
                assertEquals(mean, m.mean()[a], 1e-12, "mean " + a);
                for (int b = 0; b < d; b++) {
                    double second = li * (si[a * d + b] + mi[a] * mi[b]) + lj * (sj[a * d + b] + mj[a] * mj[b]);
                    double meanB = li * mi[b] + lj * mj[b];
                    assertEquals(second - mean * meanB, m.covariance()[a * d + b], 1e-11, "cov " + a + "," + b);
                }
            }
        }
    }

    @Test
    void costMatchesExplicitDeterminantsAndIsNeverNegative() {
        Random r = new Random(2);
        for (int trial = 0; trial < 50; trial++) {
            double wi = 0.05 + r.nextDouble();
            double wj = 0.05 + r.nextDouble();
            double[] mi = randomMean(r, 2, 2);
            double[] mj = randomMean(r, 2, 2);
            double[] si = Scenarios.rotatedCovariance(2, 0.1, 3, r);
            double[] sj = Scenarios.rotatedCovariance(2, 0.1, 3, r);
            RunnallsMerging.Merged m = RunnallsMerging.merge(wi, mi, si, wj, mj, sj);
            double cost = RunnallsMerging.cost(wi, GaussianAlgebra.logDet(si, 2), wj, GaussianAlgebra.logDet(sj, 2), m);
            double expected = 0.5 * ((wi + wj) * Math.log(det2(m.covariance())) - wi * Math.log(det2(si))
                    - wj * Math.log(det2(sj)));
            assertEquals(expected, cost, 1e-12);
            assertTrue(cost >= -1e-15, "Runnalls' cost is a non-negative bound, got " + cost);
        }
    }

    private static double det2(double[] m) {
        return m[0] * m[3] - m[1] * m[2];
    }

    @Test
    void greedyReductionPreservesTheMixtureMomentsAndMergesTheCheapestPair() {
        Random r = new Random(3);
        int d = 2;
        int m = 12;
        double[] w = new double[m];
        double[][] means = new double[m][];
        double[][] covs = new double[m][];
        for (int i = 0; i < m; i++) {
            w[i] = 1.0 / m;
            means[i] = randomMean(r, d, 4);
            covs[i] = Scenarios.rotatedCovariance(d, 0.2, 1.5, r);
        }
        Mixture pooled = new Mixture(CovarianceType.FULL, w, means, covs);
        Mixture reduced = RunnallsMerging.reduce(pooled, 3);
        assertEquals(3, reduced.k());
        double[][] before = moments(pooled);
        double[][] after = moments(reduced);
        for (int i = 0; i < before.length; i++) {
            for (int j = 0; j < before[i].length; j++) {
                assertEquals(before[i][j], after[i][j], 1e-10, "moment " + i + "," + j);
            }
        }
        // Two coincident components are merged first, at zero cost.
        double[][] twins = {{0, 0}, {0, 0}, {10, 0}, {0, 10}};
        double[][] twinCovs = {covs[0], covs[0], covs[1], covs[2]};
        Mixture four = new Mixture(CovarianceType.FULL, new double[] {0.25, 0.25, 0.25, 0.25}, twins, twinCovs);
        Mixture three = RunnallsMerging.reduce(four, 3);
        assertEquals(0.5, three.weight(0), 1e-15);
        assertEquals(0.0, MixtureAssertions.distance(three.mean(0), new double[] {0, 0}), 1e-15);
    }

    /** Overall mean and covariance of a mixture (row 0: mean; rows 1..d: covariance). */
    private static double[][] moments(Mixture model) {
        int d = model.d();
        double[] mean = new double[d];
        double[][] second = new double[d][d];
        double[][] full = GaussianAlgebra.fullCovariances(model);
        for (int c = 0; c < model.k(); c++) {
            double[] mu = model.mean(c);
            for (int a = 0; a < d; a++) {
                mean[a] += model.weight(c) * mu[a];
                for (int b = 0; b < d; b++) {
                    second[a][b] += model.weight(c) * (full[c][a * d + b] + mu[a] * mu[b]);
                }
            }
        }
        double[][] out = new double[d + 1][d];
        out[0] = mean;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                out[a + 1][b] = second[a][b] - mean[a] * mean[b];
            }
        }
        return out;
    }

    @Test
    void klDivergenceMatchesTheOneDimensionalFormulaAndVanishesOnItself() {
        double m0 = 0.3;
        double v0 = 1.7;
        double m1 = -1.1;
        double v1 = 0.6;
        double expected = 0.5 * Math.log(v1 / v0) + (v0 + (m0 - m1) * (m0 - m1)) / (2 * v1) - 0.5;
        double kl = GaussianAlgebra.kl(new double[] {m0}, new double[] {v0}, Math.log(v0), new double[] {m1},
                new double[] {1 / v1}, Math.log(v1), 1);
        assertEquals(expected, kl, 1e-14);
        Random r = new Random(4);
        double[] s = Scenarios.rotatedCovariance(3, 0.2, 2, r);
        double[] mu = randomMean(r, 3, 1);
        assertEquals(0, GaussianAlgebra.kl(mu, s, GaussianAlgebra.logDet(s, 3), mu, GaussianAlgebra.inverse(s, 3),
                GaussianAlgebra.logDet(s, 3), 3), 1e-13);
    }
}
