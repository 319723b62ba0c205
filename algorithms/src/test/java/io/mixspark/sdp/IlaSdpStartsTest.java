package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.OracleApproximatingShrinkage;
import io.mixspark.gmm.ShapeFamily;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The starts of {@link IlaSdp#fit}, the objective they compete on, and the shrinkage it reports. */
class IlaSdpStartsTest {

    /** Small enough for the dense rounds to take a second: 2 x 40 rows in d = 6. */
    static final ShapeMixture DATA = ShapeMixture.draw(80, 6, 3, 1, 0.4, 3, 21);
    static final DataBlock POINTS = DataBlock.of(DATA.x(), 6);

    @Test
    void reportsEveryStartAndRoundsFromOne() {
        IlaSdpResult fit = IlaSdp.fit(POINTS, 2, IlaSdpOptions.DEFAULTS);
        List<String> names = fit.starts().stream().map(IlaStart::name).toList();
        assertEquals(List.of("kmeans-sdp", "em", "em-ridge", "random-1", "random-2"), names);
        assertTrue(fit.starts().stream().allMatch(s -> s.seconds() >= 0 && Double.isFinite(s.heldOut())),
                fit.starts().toString());
        // One start runs the rounds; the others keep their polished labels.
        List<IlaStart> rounded = fit.starts().stream().filter(s -> s.rounds() >= 1).toList();
        assertEquals(1, rounded.size(), fit.starts().toString());
        fit.starts().stream().filter(s -> s.rounds() == 0)
                .forEach(s -> assertEquals(s.startObjective(), s.objective(), 0.0, s.toString()));
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(DATA.truth(), fit.labels()));
    }

    @Test
    void everyStartRunsTheRoundsWhenAsked() {
        IlaSdpResult fit = IlaSdp.fit(POINTS, 2, IlaSdpOptions.DEFAULTS.withRoundStarts(5));
        assertTrue(fit.starts().stream().allMatch(s -> s.rounds() >= 1), fit.starts().toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IlaSdpOptions.DEFAULTS.withRoundStarts(0))
                .getMessage().contains("roundStarts must be >= 1, got 0"));
    }

    @Test
    void polishClimbsFromRandomLabelsAndNeverLowersTheObjective() {
        for (long seed = 1; seed <= 5; seed++) {
            int[] random = IlaStarts.random(DATA.n(), 2, seed);
            IlaStarts.Scored polished = IlaStarts.polish(POINTS, random, 2, IlaSdpOptions.DEFAULTS);
            double before = ClusterGaussians.of(POINTS, random, 2, 1e-6, ShrinkageRule.OAS)
                    .logLikelihood(POINTS, random);
            assertTrue(polished.objective() > before, "seed " + seed);
            assertEquals(ClusterGaussians.of(POINTS, polished.labels(), 2, 1e-6, ShrinkageRule.OAS)
                    .logLikelihood(POINTS, polished.labels()), polished.objective(), 0.0);
            // From the truth, a polish keeps labels at least as likely as the truth's.
            IlaStarts.Scored fromTruth = IlaStarts.polish(POINTS, DATA.truth(), 2, IlaSdpOptions.DEFAULTS);
            assertTrue(fromTruth.objective() >= ClusterGaussians.of(POINTS, DATA.truth(), 2, 1e-6, ShrinkageRule.OAS)
                    .logLikelihood(POINTS, DATA.truth()));
        }
    }

    @Test
    void ridgeStartScalesWithTheData() {
        double[] scaled = DATA.x().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 7;
        }
        assertEquals(49 * IlaStarts.meanColumnVariance(POINTS), IlaStarts.meanColumnVariance(DataBlock.of(scaled, 6)),
                1e-9 * IlaStarts.meanColumnVariance(DataBlock.of(scaled, 6)));
        assertArrayEquals(IlaStarts.emRidge(POINTS, 2, IlaSdpOptions.DEFAULTS),
                IlaStarts.emRidge(DataBlock.of(scaled, 6), 2, IlaSdpOptions.DEFAULTS));
    }

    @Test
    void theWinnerIsTheStartBothScoresPreferOnACleanDraw() {
        IlaSdpResult fit = IlaSdp.fit(POINTS, 2, IlaSdpOptions.DEFAULTS);
        double bestObjective = fit.starts().stream().mapToDouble(IlaStart::objective).max().orElseThrow();
        double bestHeldOut = fit.starts().stream().mapToDouble(IlaStart::heldOut).max().orElseThrow();
        IlaStart winner = fit.starts().stream().filter(s -> s.name().equals(fit.winningStart())).findFirst()
                .orElseThrow();
        assertEquals(bestObjective, winner.objective(), 0.0, fit.starts().toString());
        assertEquals(bestHeldOut, winner.heldOut(), 0.0, fit.starts().toString());
    }

    @Test
    void onlyTheKMeansSdpStartWhenTheOthersAreOff() {
        IlaSdpResult fit = IlaSdp.fit(POINTS, 2, IlaSdpOptions.DEFAULTS.withEmRestarts(0).withRandomStarts(0));
        assertEquals(List.of("kmeans-sdp"), fit.starts().stream().map(IlaStart::name).toList());
        assertEquals("kmeans-sdp", fit.winningStart());
    }

    @Test
    void objectiveIsTheGaussianLogLikelihoodOfTheLabelsUnderTheLiftMixture() {
        IlaSdpResult fit = IlaSdp.fit(POINTS, 2, IlaSdpOptions.DEFAULTS.withRandomStarts(0));
        Mixture mixture = fit.mixture();
        int d = 6;
        double expected = 0;
        for (int i = 0; i < DATA.n(); i++) {
            int c = fit.labels()[i];
            DMatrixRMaj cov = DMatrixRMaj.wrap(d, d, mixture.covariance(c));
            DMatrixRMaj inverse = new DMatrixRMaj(d, d);
            CommonOps_DDRM.invert(cov, inverse);
            double[] mean = mixture.mean(c);
            double quadratic = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    quadratic += (DATA.x()[i * d + a] - mean[a]) * inverse.get(a, b) * (DATA.x()[i * d + b] - mean[b]);
                }
            }
            expected += -0.5 * (d * Math.log(2 * Math.PI) + Math.log(CommonOps_DDRM.det(cov)) + quadratic);
        }
        assertEquals(expected, fit.objective(), 1e-8 * Math.abs(expected));
    }

    @Test
    void shrinksEachClusterByTheSharedOasRule() {
        IlaSdpResult fit = IlaSdp.fitFrom(POINTS, 2, DATA.truth(), IlaSdpOptions.DEFAULTS);
        int d = 6;
        for (int c = 0; c < 2; c++) {
            int cluster = c;
            double[][] rows = java.util.stream.IntStream.range(0, DATA.n()).filter(i -> fit.labels()[i] == cluster)
                    .mapToObj(i -> java.util.Arrays.copyOfRange(DATA.x(), i * d, i * d + d)).toArray(double[][]::new);
            double[] mean = new double[d];
            for (double[] row : rows) {
                for (int a = 0; a < d; a++) {
                    mean[a] += row[a] / rows.length;
                }
            }
            double[] s = new double[d * d];
            for (double[] row : rows) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        s[a * d + b] += (row[a] - mean[a]) * (row[b] - mean[b]) / rows.length;
                    }
                }
            }
            ClusterShrinkage shrinkage = fit.shrinkage().get(c);
            assertEquals("scaled-identity", shrinkage.target());
            assertEquals(OracleApproximatingShrinkage.intensity(s, d, rows.length), shrinkage.intensity(), 1e-12);
            assertTrue(shrinkage.intensity() > 0, shrinkage.toString());
        }
        // The elongated cluster keeps part of its shape; the round compact one is shrunk all the way.
        int elongated = fit.labels()[0];
        assertTrue(fit.shrinkage().get(elongated).intensity() < 0.5, fit.shrinkage().toString());
    }

    @Test
    void shapeFamiliesHaveTheirStatedGeometry() {
        for (ShapeFamily family : ShapeFamily.values()) {
            ShapeFamily.Draw draw = family.draw(11);
            assertEquals(family.k() * family.rowsPerCluster(), draw.n());
            assertTrue(family.rowsPerCluster() > family.d() && family.rowsPerCluster() < family.d() * family.d());
            Mixture truth = family.truth(11);
            for (int c = 0; c < family.k(); c++) {
                assertArrayEquals(truth.mean(c), draw.mixture().mean(c), 0.0);
            }
            double distance = -1;
            for (int a = 0; a < family.k(); a++) {
                for (int b = a + 1; b < family.k(); b++) {
                    double squared = 0;
                    for (int j = 0; j < family.d(); j++) {
                        double diff = truth.mean(a)[j] - truth.mean(b)[j];
                        squared += diff * diff;
                    }
                    if (distance < 0) {
                        distance = Math.sqrt(squared);
                    }
                    assertEquals(distance, Math.sqrt(squared), 1e-9, family.id());
                }
            }
        }
        // Family (A): each cluster's largest variance (25) lies along a direction that is not an axis.
        Mixture a = ShapeFamily.ELONGATED3.truth(11);
        double[][] cov = a.covarianceMatrix(0);
        double largestDiagonal = 0;
        for (int j = 0; j < 30; j++) {
            largestDiagonal = Math.max(largestDiagonal, cov[j][j]);
        }
        assertTrue(largestDiagonal < 15, "axis-aligned elongation: " + largestDiagonal);
        assertEquals(25 + 29, java.util.stream.IntStream.range(0, 30).mapToDouble(j -> cov[j][j]).sum(), 1e-9);
    }
}
