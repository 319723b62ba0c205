package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** zCDP accounting against its closed forms, and the options' validation. */
class PrivacyAccountingTest {

    @ParameterizedTest(name = "z={0}, T={1}, delta={2}")
    @CsvSource({"3.7, 20, 1e-5", "50, 1, 1e-6", "1.1, 100, 1e-8", "8, 10, 0.01"})
    void epsilonOfRoundsEqualsTheClosedForm(double z, int rounds, double delta) {
        double b = 4.5;
        ZcdpAccountant accountant = new ZcdpAccountant();
        for (int t = 0; t < rounds; t++) {
            accountant.release(1, z);
            accountant.release(b, z * b);
            accountant.release(b * b, z * b * b);
        }
        double rho = 3.0 * rounds / (2 * z * z);
        double epsilon = rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
        assertEquals(3 * rounds, accountant.releases());
        assertEquals(rho, accountant.rho(), 1e-12 * rho);
        assertEquals(epsilon, accountant.epsilon(delta), 1e-12 * epsilon);
    }

    @Test
    void calibrationInvertsTheAccountant() {
        for (double epsilon : new double[] {0.05, 0.5, 1, 2, 4, 8, 50}) {
            for (int rounds : new int[] {1, 10, 60}) {
                for (double delta : new double[] {1e-5, 1e-9}) {
                    PrivacyOptions options = PrivacyOptions.of(epsilon, delta, 2.0);
                    double z = options.noiseMultiplier(rounds);
                    ZcdpAccountant accountant = new ZcdpAccountant();
                    for (int t = 0; t < rounds; t++) {
                        accountant.release(1, z);
                        accountant.release(2.0, 2.0 * z);
                        accountant.release(4.0, 4.0 * z);
                    }
                    assertEquals(epsilon, accountant.epsilon(delta), 1e-9 * epsilon,
                            "epsilon " + epsilon + ", " + rounds + " rounds, delta " + delta);
                    assertEquals(epsilon, ZcdpAccountant.epsilon(ZcdpAccountant.rhoFor(epsilon, delta), delta),
                            1e-12 * epsilon);
                }
            }
        }
        // More rounds at the same budget need more noise per round, as sqrt(T).
        PrivacyOptions one = PrivacyOptions.of(1, 1e-5, 1);
        assertEquals(Math.sqrt(10), one.noiseMultiplier(10) / one.noiseMultiplier(1), 1e-12);
    }

    @Test
    void infiniteEpsilonMeansNoNoise() {
        assertEquals(0, PrivacyOptions.of(Double.POSITIVE_INFINITY, 1e-5, 3).noiseMultiplier(10));
        assertEquals(Double.POSITIVE_INFINITY, ZcdpAccountant.rhoOfRelease(1, 0));
        assertEquals(0, ZcdpAccountant.rhoOfRelease(0, 0));
    }

    @Test
    void optionsNameTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrivacyOptions.of(0, 1e-5, 1));
        assertEquals("epsilon must be > 0 (or +Infinity), got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PrivacyOptions.of(1, 1.5, 1));
        assertEquals("delta must be in (0, 1), got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PrivacyOptions.of(1, 1e-5, -2));
        assertEquals("clipNorm must be a finite number > 0, got -2.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ZcdpAccountant.noiseMultiplier(1, 1e-5, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
