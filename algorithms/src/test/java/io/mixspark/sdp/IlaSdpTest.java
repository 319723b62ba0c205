package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.metrics.ClusteringMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class IlaSdpTest {

    static final IlaSdpOptions OPTIONS = IlaSdpOptions.DEFAULTS;

    @Test
    void optionsAreValidated() {
        SdpOptions solver = SdpOptions.DEFAULTS;
        IllegalArgumentException rounds = assertThrows(IllegalArgumentException.class,
                () -> new IlaSdpOptions(0, solver, IlaRounding.SPECTRAL, 1e-6, ShrinkageRule.OAS, 0, 0, 1));
        assertTrue(rounds.getMessage().contains("maxRounds must be >= 1, got 0"), rounds.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new IlaSdpOptions(5, null, IlaRounding.SPECTRAL, 1e-6, ShrinkageRule.OAS, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new IlaSdpOptions(5, solver, null, 1e-6, ShrinkageRule.OAS, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> OPTIONS.withShrinkage(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OPTIONS.withEmRestarts(-1)).getMessage()
                .contains("emRestarts must be >= 0, got -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OPTIONS.withRandomStarts(-2)).getMessage()
                .contains("randomStarts must be >= 0, got -2"));
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OPTIONS.withRegCovar(bad));
            assertTrue(e.getMessage().contains("regCovar"), e.getMessage());
        }
        assertEquals(3, OPTIONS.withMaxRounds(3).maxRounds());
        assertEquals(IlaRounding.MEMBERSHIP_MASS, OPTIONS.withRounding(IlaRounding.MEMBERSHIP_MASS).rounding());
        assertEquals(solver, OPTIONS.withSolver(solver).solver());
        assertEquals(OPTIONS, OPTIONS.withMaxRounds(3).withMaxRounds(OPTIONS.maxRounds()));
    }

    @Test
    void inputsAreValidated() {
        DataBlock rows = DataBlock.of(new double[] {0, 1, 2, 10, 11, 12}, 1);
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.fit(rows, 0, OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.fit(rows, 7, OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.fit(rows, 2, null));
        DataBlock weighted = new DataBlock(new double[] {0, 1, 2}, new double[] {1, 2, 1}, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.fit(weighted, 2, OPTIONS));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> IlaSdp.fitFrom(rows, 2, new int[] {0, 1}, OPTIONS));
        assertTrue(length.getMessage().contains("6 rows need 6 initial labels, got 2"), length.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> IlaSdp.fitFrom(rows, 3, new int[] {0, 0, 0, 1, 1, 1}, OPTIONS));
        assertTrue(empty.getMessage().contains("cluster 2 of 3 has no rows"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.fitFrom(rows, 2, new int[] {0, 0, 0, 1, 1, 2},
                OPTIONS));
        Mixture one = IlaSdp.fit(rows, 1, OPTIONS).mixture();
        assertThrows(IllegalArgumentException.class,
                () -> new IlaSdpResult(new int[] {0, 1}, 1, one, new int[2], List.of(), true, 0,
                        List.of(new ClusterShrinkage("scaled-identity", 0)), List.of(), "given"));
        assertThrows(IllegalArgumentException.class,
                () -> new IlaSdpResult(new int[] {0, 0}, 1, one, new int[3], List.of(), true, 0,
                        List.of(new ClusterShrinkage("scaled-identity", 0)), List.of(), "given"));
        assertThrows(IllegalArgumentException.class, () -> new IlaRound(0, 0, -1, 0, true));
    }

    @Test
    void oneClusterNeedsNoRound() {
        DataBlock rows = DataBlock.of(new double[] {0, 1, 2, 3}, 1);
        IlaSdpResult fit = IlaSdp.fit(rows, 1, OPTIONS);
        assertArrayEquals(new int[4], fit.labels());
        assertTrue(fit.converged());
        assertEquals(0, fit.rounds().size());
        assertEquals(1.5, fit.mixture().mean(0)[0], 1e-12);
    }

    @Test
    void recoversSeparatedShapesAndReturnsTheirGaussians() {
        // Well separated: exact from the start, one round that changes nothing.
        ShapeMixture data = ShapeMixture.draw(60, 4, 4, 0.5, 0.5, 8, 3);
        IlaSdpResult fit = IlaSdp.fit(DataBlock.of(data.x(), 4), 2, OPTIONS);
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(data.truth(), fit.labels()));
        assertTrue(fit.converged());
        assertEquals(1, fit.rounds().size());
        assertEquals(0, fit.rounds().get(0).changedLabels());
        assertArrayEquals(new double[] {fit.rounds().get(0).logLikelihood()}, fit.objectives(), 0.0);
        Mixture mixture = fit.mixture();
        assertEquals(CovarianceType.FULL, mixture.covarianceType());
        int elongated = fit.labels()[0];
        assertEquals(0.5, mixture.weight(elongated), 1e-12);
        assertEquals(8, mixture.mean(1 - elongated)[1], 0.5);
        // Elongated along axis 0: its variance there is far above the compact cluster's.
        double[][] longCov = mixture.covarianceMatrix(elongated);
        double[][] compactCov = mixture.covarianceMatrix(1 - elongated);
        assertTrue(longCov[0][0] > 5 * compactCov[0][0], longCov[0][0] + " vs " + compactCov[0][0]);
    }

    @Test
    void improvesOnTheStartWhenTheShapesDiffer() {
        // Start from the truth with 6 rows of the elongated cluster moved to the compact one: the
        // compact cluster's covariance cannot hold them, and the rounds move them back.
        ShapeMixture data = ShapeMixture.draw(80, 10, 3, 1, 0.3, 3, 12);
        int[] start = data.truth().clone();
        for (int i = 0, moved = 0; moved < 6; i += 2, moved++) {
            start[i] = 1;
        }
        IlaSdpResult fit = IlaSdp.fitFrom(DataBlock.of(data.x(), 10), 2, start, OPTIONS);
        assertArrayEquals(start, fit.initialLabels());
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(data.truth(), fit.labels()));
        assertTrue(fit.converged());
        assertTrue(fit.rounds().get(0).changedLabels() > 0);
        double[] objectives = fit.objectives();
        assertTrue(objectives[objectives.length - 1] > LikelihoodMatrices.membershipValue(
                LikelihoodMatrices.of(DataBlock.of(data.x(), 10),
                        ClusterGaussians.of(DataBlock.of(data.x(), 10), start, 2, 1e-6).covariances()), start)
                - LikelihoodMatrices.gaussianConstant(80, 10));
    }

    @Test
    void sketchLiftsWithTheMixtureWhateverTheBlocking() {
        ShapeMixture data = ShapeMixture.draw(600, 4, 4, 0.5, 0.5, 8, 5);
        InMemoryBlockData oneBlock = InMemoryBlockData.of(data.x(), 4);
        InMemoryBlockData manyBlocks = InMemoryBlockData.of(data.x(), null, 4, 37);
        IlaSdpResult a = IlaSdp.fitSketch(oneBlock, 2, 0.1, 9, OPTIONS);
        IlaSdpResult b = IlaSdp.fitSketch(manyBlocks, 2, 0.1, 9, OPTIONS);
        assertTrue(Math.abs(a.n() - 60) < 25, "sample of " + a.n() + " rows");
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.mixture(), b.mixture());
        int[] lifted = IlaSdp.assign(manyBlocks, b);
        assertArrayEquals(IlaSdp.assign(oneBlock, a), lifted);
        assertEquals(600, lifted.length);
        assertEquals(0.0, ClusteringMetrics.misclusteringRate(data.truth(), lifted));
        IlaSdpResult other = IlaSdp.fitSketch(oneBlock, 2, 0.1, 10, OPTIONS);
        assertFalse(other.n() == a.n() && other.mixture().equals(a.mixture()), "another seed, another sample");
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.fitSketch(oneBlock, 2, 0, 1, OPTIONS));
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> IlaSdp.fitSketch(InMemoryBlockData.of(new double[] {0, 1, 2, 3}, 1), 3, 0.01, 1, OPTIONS));
        assertTrue(tiny.getMessage().contains("fewer than k = 3"), tiny.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IlaSdp.assign(InMemoryBlockData.of(new double[] {1, 2}, 2), a));
    }
}
