package io.mixspark.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eigen-decomposition and the polar factor the constrained M-steps rely on. */
class DecompositionsTest {

    private static final int D = 5;

    private static double[] times(double[] a, double[] b) {
        double[] out = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                for (int r = 0; r < D; r++) {
                    out[i * D + j] += a[i * D + r] * b[r * D + j];
                }
            }
        }
        return out;
    }

    private static double[] transpose(double[] a) {
        double[] out = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                out[j * D + i] = a[i * D + j];
            }
        }
        return out;
    }

    private static double[] randomSymmetricPositive(Random random) {
        double[] g = new double[D * D];
        for (int i = 0; i < D * D; i++) {
            g[i] = random.nextGaussian();
        }
        double[] s = times(g, transpose(g));
        for (int i = 0; i < D; i++) {
            s[i * D + i] += 0.5;
        }
        return s;
    }

    @Test
    void eigenvaluesComeLargestFirstAndRebuildTheMatrix() {
        double[] s = randomSymmetricPositive(new Random(1));
        SymmetricEigen e = SymmetricEigen.of(s, D);
        for (int j = 1; j < D; j++) {
            assertTrue(e.values()[j - 1] >= e.values()[j]);
        }
        double[] scaled = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                scaled[i * D + j] = e.vectors()[i * D + j] * e.values()[j];
            }
        }
        assertArrayEquals(s, times(scaled, transpose(e.vectors())), 1e-10);
    }

    @Test
    void thePolarFactorOfARotatedPositiveMatrixIsTheRotation() {
        Random random = new Random(2);
        double[] q = SymmetricEigen.of(randomSymmetricPositive(random), D).vectors();
        double[] m = times(q, randomSymmetricPositive(random));
        assertArrayEquals(q, PolarFactor.of(m, D), 1e-10);
    }
}
