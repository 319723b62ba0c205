package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The dual bound of {@link KMeansSdpCertificate} is a real lower bound, is tight and certifies on
 * well-separated clusters, and is withheld where the partition is not shown optimal.
 *
 * <p>Thresholds of the seeded tests were chosen on seeds 1-10 and are asserted on seeds 11-30.
 */
class KMeansSdpCertificateTest {

    /**
     * The brute-force optimum carries its own rounding, about n eps relative; a bound above it by
     * more than this is a defect.
     */
    private static final double ROUNDING = 1e-12;

    @Test
    void boundNeverExceedsTheBruteForceOptimum() {
        int n = 10;
        int d = 2;
        int certified = 0;
        int withheld = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            int k = 2 + (int) (seed % 2);
            double spread = new double[] {0.3, 1, 3}[(int) (seed % 3)];
            double[] x = blobs(n, d, k, spread, random);
            DataBlock points = DataBlock.of(x, d);
            BruteForce optimum = BruteForce.of(points, k);
            SdpResult solve = KMeansSdp.fit(points, k, ExactRecoveryTest.OPTIONS.withRoundingSeed(seed));
            KMeansSdpCertificate certificate = solve.certificate();
            String where = "seed " + seed + ", k " + k + ", spread " + spread + ": ";
            assertTrue(certificate.dualBound() <= optimum.cost() * (1 + ROUNDING),
                    where + "bound " + certificate.dualBound() + " above the optimum " + optimum.cost());
            assertTrue(certificate.partitionCost() >= optimum.cost() * (1 - ROUNDING), where);
            if (certificate.certifiedOptimal()) {
                certified++;
                assertEquals(optimum.cost(), certificate.partitionCost(),
                        KMeansSdpCertificate.TOLERANCE * optimum.cost(), where + "certified, yet not optimal");
            } else {
                withheld++;
            }
            // The optimal partition itself, with only the multipliers built from it.
            KMeansSdpCertificate ofOptimum = KMeansSdpCertificate.certify(points, k, optimum.labels(), null, null);
            assertTrue(ofOptimum.dualBound() <= optimum.cost() * (1 + ROUNDING), where);
            assertEquals(optimum.cost(), ofOptimum.partitionCost(), ROUNDING * optimum.cost(), where);
            // Arbitrary multipliers: the eigenvalue step alone makes the bound valid.
            double[] a = KMeansSdpCertificate.centredGram(points);
            double trace = 0;
            for (int i = 0; i < n; i++) {
                trace += a[i * n + i];
            }
            KMeansSdpCertificate.Bounds bounds = new KMeansSdpCertificate.Bounds(d, k, a, trace);
            for (int draw = 0; draw < 20; draw++) {
                double scale = trace / n * Math.pow(10, random.nextInt(5) - 2);
                double[] y = new double[n];
                double[] b = new double[n * n];
                for (int i = 0; i < n; i++) {
                    y[i] = scale * random.nextGaussian();
                    for (int j = 0; j < n; j++) {
                        b[i * n + j] = scale * Math.abs(random.nextGaussian());
                    }
                }
                double bound = bounds.upperToLower(y, b);
                assertTrue(bound <= optimum.cost() * (1 + ROUNDING), where + "random multipliers gave " + bound);
            }
        }
        // Both outcomes occur on these instances, so both branches above were checked.
        assertTrue(certified > 0 && withheld > 0, certified + " certified, " + withheld + " withheld");
    }

    @Test
    void certifiesWellSeparatedClusters() {
        // Seeds 1-10: every partition certified, gaps below 3e-12.
        String failures = LongStream.rangeClosed(11, 30).parallel().mapToObj(seed -> {
            IsotropicMixture data = IsotropicMixture.draw(60, 3, 3, 2, seed);
            SdpResult solve = KMeansSdp.fit(DataBlock.of(data.x(), 3), 3, ExactRecoveryTest.OPTIONS.withRoundingSeed(seed));
            KMeansSdpCertificate certificate = solve.certificate();
            return certificate.certifiedOptimal() ? "" : " seed " + seed + " gap " + certificate.relativeGap();
        }).reduce("", String::concat);
        assertEquals("", failures, "not certified at l = 2:");
    }

    @Test
    void withheldOnOverlappingClusters() {
        // Seeds 1-10: gaps from 0.035 to 0.14; 0.01 leaves a margin.
        String failures = LongStream.rangeClosed(11, 30).parallel().mapToObj(seed -> {
            IsotropicMixture data = IsotropicMixture.draw(60, 3, 3, 0.3, seed);
            SdpResult solve = KMeansSdp.fit(DataBlock.of(data.x(), 3), 3, ExactRecoveryTest.OPTIONS.withRoundingSeed(seed));
            KMeansSdpCertificate certificate = solve.certificate();
            boolean ok = !certificate.certifiedOptimal() && certificate.relativeGap() > 0.01
                    && certificate.dualBound() < certificate.partitionCost();
            return ok ? "" : " seed " + seed + " gap " + certificate.relativeGap();
        }).reduce("", String::concat);
        assertEquals("", failures, "certificate not withheld at l = 0.3:");
    }

    @Test
    void withheldForASuboptimalPartition() {
        for (long seed = 11; seed <= 30; seed++) {
            IsotropicMixture data = IsotropicMixture.draw(60, 3, 3, 2, seed);
            DataBlock points = DataBlock.of(data.x(), 3);
            // The generating labels are the optimal partition here: certified.
            KMeansSdpCertificate truth = KMeansSdpCertificate.certify(points, 3, data.truth(), null, null);
            assertTrue(truth.certifiedOptimal(), "seed " + seed + ": gap " + truth.relativeGap());
            int[] moved = data.truth().clone();
            moved[(int) seed] = (moved[(int) seed] + 1) % 3;
            KMeansSdpCertificate worse = KMeansSdpCertificate.certify(points, 3, moved, null, null);
            assertFalse(worse.certifiedOptimal(), "seed " + seed);
            assertTrue(worse.relativeGap() > KMeansSdpCertificate.TOLERANCE, "seed " + seed);
            assertTrue(worse.partitionCost() > truth.partitionCost(), "seed " + seed);
            assertTrue(worse.dualBound() <= truth.partitionCost() * (1 + ROUNDING), "seed " + seed);
        }
    }

    @Test
    void solverMultipliersCloseTheDualityGap() {
        // Below the threshold the relaxation is not tight, so the bound comes from the ADMM's
        // multipliers; solved to 1e-6 it met the SDP value within 4.2e-6 on seeds 1-10.
        String failures = LongStream.rangeClosed(11, 15).parallel().mapToObj(seed -> {
            IsotropicMixture data = IsotropicMixture.draw(40, 3, 3, 0.6, seed);
            DataBlock points = DataBlock.of(data.x(), 3);
            SdpResult solve = KMeansSdp.fit(points, 3,
                    SdpOptions.DEFAULTS.withTolerance(1e-6).withMaxIterations(20000).withRoundingSeed(seed));
            KMeansSdpCertificate certificate = solve.certificate();
            double gap = Math.abs(certificate.primalObjective() - certificate.dualBound()) / certificate.primalObjective();
            return solve.converged() && gap < 1e-4 ? "" : " seed " + seed + " duality gap " + gap;
        }).reduce("", String::concat);
        assertEquals("", failures, "ADMM multipliers far from the SDP value:");
    }

    @Test
    void singlePartitionsAreTriviallyOptimal() {
        DataBlock points = DataBlock.of(new double[] {0, 1, 3, 7}, 1);
        KMeansSdpCertificate one = KMeansSdpCertificate.certify(points, 1, new int[4], null, null);
        assertEquals(one.partitionCost(), one.dualBound());
        assertTrue(one.certifiedOptimal());
        KMeansSdpCertificate each = KMeansSdp.fit(points, 4, SdpOptions.DEFAULTS).certificate();
        assertEquals(0, each.partitionCost());
        assertTrue(each.certifiedOptimal());
    }

    @Test
    void refusesWhatIsNotAPartition() {
        DataBlock points = DataBlock.of(new double[] {0, 1, 3, 7}, 1);
        assertThrows(IllegalArgumentException.class,
                () -> KMeansSdpCertificate.certify(points, 2, new int[] {0, 0, 0, 0}, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> KMeansSdpCertificate.certify(points, 2, new int[] {0, 1, 2, 0}, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> KMeansSdpCertificate.certify(points, 2, new int[] {0, 1}, null, null));
    }

    /** k Gaussian blobs with centres drawn at the given spread and unit noise, shuffled rows. */
    private static double[] blobs(int n, int d, int k, double spread, Random random) {
        double[] centres = new double[k * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = 4 * spread * random.nextGaussian();
        }
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(k);
            for (int a = 0; a < d; a++) {
                x[i * d + a] = centres[c * d + a] + random.nextGaussian();
            }
        }
        return x;
    }

    /** The least k-means cost over every partition into k nonempty clusters (restricted growth strings). */
    record BruteForce(double cost, int[] labels) {
        static BruteForce of(DataBlock points, int k) {
            int n = points.rows();
            int[] labels = new int[n];
            BruteForce[] best = {new BruteForce(Double.POSITIVE_INFINITY, null)};
            enumerate(points, k, labels, 1, 0, best);
            return best[0];
        }

        private static void enumerate(DataBlock points, int k, int[] labels, int next, int used, BruteForce[] best) {
            int n = labels.length;
            if (next == n) {
                if (used + 1 == k) {
                    double cost = KMeansSdpCertificate.cost(points, labels, k);
                    if (cost < best[0].cost()) {
                        best[0] = new BruteForce(cost, labels.clone());
                    }
                }
                return;
            }
            for (int c = 0; c <= Math.min(used + 1, k - 1); c++) {
                labels[next] = c;
                enumerate(points, k, labels, next + 1, Math.max(used, c), best);
            }
            labels[next] = 0;
        }
    }

    @Test
    void bruteForceFindsAKnownOptimum() {
        // Two tight groups far apart: the optimum splits them.
        double[] x = {0, 0.1, 0.2, 0.3, 0.4, 100, 100.1, 100.2, 100.3, 100.4};
        BruteForce best = BruteForce.of(DataBlock.of(x, 1), 2);
        assertEquals(2 * (0.04 + 0.01 + 0 + 0.01 + 0.04), best.cost(), 1e-9);
        assertEquals(Arrays.toString(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}), Arrays.toString(best.labels()));
    }
}
