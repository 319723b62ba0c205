package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LedoitWolfShrinkageTest {

    /** Centred rows, their ML covariance and sum |x|^4, with b^2 formed the long way for the oracle. */
    record Sample(double[] centred, int n, int p, double[] covariance, double fourth) {

        static Sample of(double[] rows, int n, int p) {
            double[] mean = new double[p];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < p; a++) {
                    mean[a] += rows[i * p + a] / n;
                }
            }
            double[] c = new double[n * p];
            double[] s = new double[p * p];
            double fourth = 0;
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int a = 0; a < p; a++) {
                    c[i * p + a] = rows[i * p + a] - mean[a];
                    norm += c[i * p + a] * c[i * p + a];
                }
                fourth += norm * norm;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        s[a * p + b] += c[i * p + a] * c[i * p + b] / n;
                    }
                }
            }
            return new Sample(c, n, p, s, fourth);
        }

        /** Ledoit and Wolf (2004), lemma 3.2-3.4 with explicit sum_k ||x_k x_k^T - S||^2 / p. */
        double oracleIntensity() {
            double m = 0;
            for (int a = 0; a < p; a++) {
                m += covariance[a * p + a] / p;
            }
            double d2 = 0;
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    double v = covariance[a * p + b] - (a == b ? m : 0);
                    d2 += v * v / p;
                }
            }
            double bBar2 = 0;
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) {
                        double v = centred[i * p + a] * centred[i * p + b] - covariance[a * p + b];
                        bBar2 += v * v / p;
                    }
                }
            }
            bBar2 /= (double) n * n;
            return Math.min(bBar2, d2) / d2;
        }
    }

    @Test
    void intensityMatchesTheDefinition() {
        Random random = new Random(5);
        for (int[] shape : new int[][] {{10, 4}, {30, 20}, {200, 5}, {8, 30}}) {
            int n = shape[0];
            int p = shape[1];
            double[] rows = new double[n * p];
            for (int i = 0; i < rows.length; i++) {
                // Unequal scales, so the target is not already the covariance.
                rows[i] = random.nextGaussian() * (1 + (i % p));
            }
            Sample s = Sample.of(rows, n, p);
            double rho = LedoitWolfShrinkage.intensity(s.covariance(), p, n, s.fourth());
            assertEquals(s.oracleIntensity(), rho, 1e-12, n + " x " + p);
            assertTrue(rho > 0 && rho <= 1, "rho " + rho);
        }
    }

    /** OAS (Chen, Wiesel, Eldar and Hero 2010, eq. 23), the Gaussian-model alternative, for comparison. */
    static double oasIntensity(Sample s) {
        int p = s.p();
        double trace = 0;
        double traceOfSquare = 0;
        for (int a = 0; a < p; a++) {
            trace += s.covariance()[a * p + a];
            for (int b = 0; b < p; b++) {
                traceOfSquare += s.covariance()[a * p + b] * s.covariance()[a * p + b];
            }
        }
        return Math.min(1, ((1 - 2.0 / p) * traceOfSquare + trace * trace)
                / ((s.n() + 1 - 2.0 / p) * (traceOfSquare - trace * trace / p)));
    }

    /** Rows of the experiment's clusters in d = 50: compact (sd 0.5), or elongated (sd 3 on axis 0, else 1). */
    static double[] clusterRows(int compact, int elongated, Random random) {
        int p = 50;
        double[] rows = new double[(compact + elongated) * p];
        for (int i = 0; i < compact + elongated; i++) {
            for (int a = 0; a < p; a++) {
                double sd = i < compact ? 0.5 : a == 0 ? 3 : 1;
                rows[i * p + a] = sd * random.nextGaussian();
            }
        }
        return rows;
    }

    @Test
    void shrinksAContaminatedClusterHarderThanOas() {
        // Why Ledoit-Wolf: a compact cluster holding 17 rows of the elongated one is not Gaussian;
        // OAS, derived for Gaussian rows, barely shrinks it, Ledoit-Wolf reads the fourth moments.
        Random random = new Random(13);
        Sample contaminated = Sample.of(clusterRows(100, 17, random), 117, 50);
        double lw = LedoitWolfShrinkage.intensity(contaminated.covariance(), 50, 117, contaminated.fourth());
        double oas = oasIntensity(contaminated);
        assertTrue(lw > oas + 0.25, "Ledoit-Wolf " + lw + ", OAS " + oas);
        // On a clean Gaussian cluster the two agree.
        Sample clean = Sample.of(clusterRows(0, 100, random), 100, 50);
        double cleanLw = LedoitWolfShrinkage.intensity(clean.covariance(), 50, 100, clean.fourth());
        assertEquals(oasIntensity(clean), cleanLw, 0.05);
    }

    @Test
    void fewRowsShrinkMoreThanMany() {
        Random random = new Random(9);
        int p = 20;
        double previous = 2;
        for (int n : new int[] {15, 60, 500}) {
            double[] rows = new double[n * p];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = random.nextGaussian() * (i % p == 0 ? 3 : 1);
            }
            Sample s = Sample.of(rows, n, p);
            double rho = LedoitWolfShrinkage.intensity(s.covariance(), p, n, s.fourth());
            assertTrue(rho < previous, "n = " + n + ": rho " + rho + " after " + previous);
            previous = rho;
        }
        assertTrue(previous < 0.1, "500 rows in p = 20 should barely shrink, rho " + previous);
    }

    @Test
    void shrinkKeepsTheTraceAndMovesTowardTheScaledIdentity() {
        double[] s = {4, 1, 0, 1, 2, 0, 0, 0, 0};
        assertEquals(1.0, LedoitWolfShrinkage.intensity(new double[] {2, 0, 0, 2}, 2, 5, 3), 0.0);
        assertEquals(1.0, LedoitWolfShrinkage.intensity(new double[4], 2, 1, 0), 0.0);
        double[] half = LedoitWolfShrinkage.shrink(s, 3, 0.5);
        assertEquals(6.0, half[0] + half[4] + half[8], 1e-12);
        assertEquals(3.0, half[0], 1e-12);
        assertEquals(0.5, half[1], 1e-12);
        assertEquals(1.0, half[8], 1e-12);
        assertEquals(s[4], LedoitWolfShrinkage.shrink(s, 3, 0)[4], 0.0);
        assertThrows(IllegalArgumentException.class, () -> LedoitWolfShrinkage.shrink(s, 3, 1.5));
        assertThrows(IllegalArgumentException.class, () -> LedoitWolfShrinkage.intensity(s, 2, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> LedoitWolfShrinkage.intensity(s, 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> LedoitWolfShrinkage.intensity(s, 3, 5, Double.NaN));
    }
}
