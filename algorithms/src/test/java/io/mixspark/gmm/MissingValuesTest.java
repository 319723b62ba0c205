package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.em.IterationRecord;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The missing-value E-step against the formulas applied row by row, EM's monotone observed-data
 * likelihood, conditional-mean imputation, and the same statistics however the rows are blocked.
 */
class MissingValuesTest {

    private static final int D = 4;

    /** Rows of a random 3-component mixture with each value missing with probability {@code share}. */
    private static double[] rowsWithHoles(Mixture truth, int n, double share, long seed) {
        Random random = new Random(seed);
        double[] x = truth.sample(n, random, null);
        for (int i = 0; i < x.length; i++) {
            if (random.nextDouble() < share) {
                x[i] = Double.NaN;
            }
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void theEStepEqualsTheFormulasRowByRow(CovarianceType type) {
        Mixture model = RandomMixtures.draw(3, D, type, 3, new Random(5));
        double[] x = rowsWithHoles(RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(6)), 200, 0.3, 7);
        double[] w = new double[200];
        Random random = new Random(8);
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + random.nextDouble();
        }
        SufficientStatistics fast = SufficientStatistics.zeroFor(model);
        new ExpectationPass(model, "java").add(fast, new DataBlock(x, w, 200, D));
        SufficientStatistics slow = SufficientStatistics.zeroFor(model);
        long skipped = 0;
        for (int i = 0; i < 200; i++) {
            if (!rowByRow(model, x, i, w[i], slow)) {
                skipped++;
            }
        }
        assertEquals(slow.rows(), fast.rows());
        assertEquals(200 - skipped, fast.rows());
        assertEquals(slow.logLikelihood(), fast.logLikelihood(), 1e-10 * Math.abs(slow.logLikelihood()));
        assertEquals(slow.sumLogMaxResponsibility(), fast.sumLogMaxResponsibility(),
                1e-10 * (1 + Math.abs(slow.sumLogMaxResponsibility())));
        for (int c = 0; c < 3; c++) {
            assertEquals(slow.count(c), fast.count(c), 1e-10 * slow.count(c));
        }
        assertClose(slow.sumsView(), fast.sumsView(), 1e-10);
        assertClose(lowerTriangles(slow), lowerTriangles(fast), 1e-10);
    }

    /**
     * One row by the textbook formulas: marginal densities on the observed coordinates, then
     * x̂ = mu_m + S_mo S_oo^-1 (x_o - mu_o) and the scatter plus the conditional covariance.
     * Returns false for a row with no observed value.
     */
    private static boolean rowByRow(Mixture model, double[] x, int i, double weight, SufficientStatistics into) {
        int k = model.k();
        int[] obs = java.util.stream.IntStream.range(0, D).filter(a -> !Double.isNaN(x[i * D + a])).toArray();
        int[] mis = java.util.stream.IntStream.range(0, D).filter(a -> Double.isNaN(x[i * D + a])).toArray();
        if (obs.length == 0) {
            return false;
        }
        double[] logJoint = new double[k];
        DMatrixRMaj[] xhat = new DMatrixRMaj[k];
        DMatrixRMaj[] cond = new DMatrixRMaj[k];
        for (int c = 0; c < k; c++) {
            DMatrixRMaj s = new DMatrixRMaj(model.covarianceMatrix(c));
            double[] mu = model.mean(c);
            DMatrixRMaj sooInverse = pick(s, obs, obs);
            double logDet = Math.log(CommonOps_DDRM.det(sooInverse));
            CommonOps_DDRM.invert(sooInverse);
            DMatrixRMaj xo = new DMatrixRMaj(obs.length, 1);
            for (int j = 0; j < obs.length; j++) {
                xo.set(j, 0, x[i * D + obs[j]] - mu[obs[j]]);
            }
            double quad = CommonOps_DDRM.dot(xo, times(sooInverse, xo));
            logJoint[c] = model.logWeight(c) - 0.5 * (obs.length * Math.log(2 * Math.PI) + logDet + quad);
            DMatrixRMaj full = new DMatrixRMaj(D, 1);
            DMatrixRMaj cc = new DMatrixRMaj(D, D);
            for (int j = 0; j < obs.length; j++) {
                full.set(obs[j], 0, xo.get(j));
            }
            if (mis.length > 0) {
                DMatrixRMaj b = times(pick(s, mis, obs), sooInverse);
                DMatrixRMaj xm = times(b, xo);
                DMatrixRMaj cm = pick(s, mis, mis);
                CommonOps_DDRM.subtractEquals(cm, times(b, pick(s, obs, mis)));
                for (int j = 0; j < mis.length; j++) {
                    full.set(mis[j], 0, xm.get(j));
                    for (int j2 = 0; j2 < mis.length; j2++) {
                        cc.set(mis[j], mis[j2], cm.get(j, j2));
                    }
                }
            }
            xhat[c] = full;
            cond[c] = cc;
        }
        double norm = Scoring.logSumExp(logJoint, 0, k);
        double maxR = 0;
        for (int c = 0; c < k; c++) {
            double r = Math.exp(logJoint[c] - norm);
            maxR = Math.max(maxR, r);
            double rw = r * weight;
            into.countsForKernel()[c] += rw;
            for (int a = 0; a < D; a++) {
                into.sumsView()[c * D + a] += rw * xhat[c].get(a);
                for (int b = 0; b < D; b++) {
                    int at = c * into.scatterSize() + (into.fullScatter() ? a * D + b : a);
                    if (into.fullScatter() ? b <= a : b == a) {
                        into.scattersView()[at] += rw * (xhat[c].get(a) * xhat[c].get(b) + cond[c].get(a, b));
                    }
                }
            }
        }
        into.addTotals(1, weight, weight * norm, weight * Math.log(maxR));
        return true;
    }

    private static DMatrixRMaj times(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, out);
        return out;
    }

    private static DMatrixRMaj pick(DMatrixRMaj m, int[] rows, int[] cols) {
        DMatrixRMaj out = new DMatrixRMaj(rows.length, cols.length);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out.set(i, j, m.get(rows[i], cols[j]));
            }
        }
        return out;
    }

    private static double[] lowerTriangles(SufficientStatistics s) {
        double[] out = s.scattersView().clone();
        if (s.fullScatter()) {
            for (int c = 0; c < s.k(); c++) {
                for (int a = 0; a < D; a++) {
                    for (int b = a + 1; b < D; b++) {
                        out[c * D * D + a * D + b] = 0;
                    }
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * scale, "entry " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void emNeverLowersTheObservedDataLikelihood(CovarianceType type) {
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 2.5, new Random(21));
        double[] x = rowsWithHoles(truth, 1500, 0.3, 22);
        EmOptions options = EmOptions.builder(3, type).maxIter(60).tol(0).seed(3).kernel("java").build();
        EmResult fit = EmFitter.fit(InMemoryBlockData.of(x, null, D, 256), options, FitListener.NONE);
        double previous = Double.NEGATIVE_INFINITY;
        for (IterationRecord r : fit.history()) {
            assertTrue(r.meanLogLikelihood() >= previous - 1e-12, "iteration " + r.iteration() + " went from "
                    + previous + " to " + r.meanLogLikelihood());
            previous = r.meanLogLikelihood();
        }
    }

    @Test
    void blockingDoesNotChangeTheFit() {
        Mixture truth = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(31));
        double[] x = rowsWithHoles(truth, 900, 0.25, 32);
        Mixture start = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(33));
        EmOptions options = EmOptions.builder(3, CovarianceType.FULL).initialModel(start).initMode(InitMode.MODEL)
                .maxIter(15).tol(0).kernel("java").build();
        EmResult one = EmFitter.fit(InMemoryBlockData.of(x, null, D, 900), options, FitListener.NONE);
        EmResult many = EmFitter.fit(InMemoryBlockData.of(x, null, D, 37), options, FitListener.NONE);
        assertEquals(one.logLikelihood(), many.logLikelihood(), 1e-9 * Math.abs(one.logLikelihood()));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(one.model().mean(c), many.model().mean(c), 1e-9);
            assertArrayEquals(one.model().covariance(c), many.model().covariance(c), 1e-9);
        }
    }

    @Test
    void aFullyMissingRowIsLeftOutAndCompleteDataAreUntouched() {
        Mixture truth = RandomMixtures.draw(2, D, CovarianceType.FULL, 3, new Random(41));
        double[] x = truth.sample(300, new Random(42), null);
        Mixture start = RandomMixtures.draw(2, D, CovarianceType.FULL, 3, new Random(43));
        EmOptions options = EmOptions.builder(2, CovarianceType.FULL).initialModel(start).initMode(InitMode.MODEL)
                .maxIter(10).tol(0).kernel("java").build();
        EmResult complete = EmFitter.fit(InMemoryBlockData.of(x, D), options, FitListener.NONE);
        double[] withEmptyRows = java.util.Arrays.copyOf(x, x.length + 2 * D);
        java.util.Arrays.fill(withEmptyRows, x.length, withEmptyRows.length, Double.NaN);
        EmResult padded = EmFitter.fit(InMemoryBlockData.of(withEmptyRows, D), options, FitListener.NONE);
        assertEquals(300, padded.rows());
        assertEquals(complete.logLikelihood(), padded.logLikelihood(), 1e-9 * Math.abs(complete.logLikelihood()));
        assertArrayEquals(complete.model().mean(0), padded.model().mean(0), 1e-9);
    }

    @Test
    void imputationIsTheConditionalMeanUnderOneGaussian() {
        double[] cov = {2, 0.8, 0.3, 0.8, 1.5, -0.4, 0.3, -0.4, 1.0};
        Mixture one = new Mixture(CovarianceType.FULL, new double[] {1}, new double[][] {{1, -2, 0.5}},
                new double[][] {cov});
        double[] row = {1.7, Double.NaN, Double.NaN};
        double[] imputed = MissingValues.impute(JavaLikelihoodKernel.INSTANCE, DataBlock.of(row, 3), one);
        // E[x_m | x_0] = mu_m + S_m0 / S_00 (x_0 - mu_0)
        assertEquals(1.7, imputed[0]);
        assertEquals(-2 + 0.8 / 2 * 0.7, imputed[1], 1e-12);
        assertEquals(0.5 + 0.3 / 2 * 0.7, imputed[2], 1e-12);
        double[] probabilities = Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, one, DataBlock.of(row, 3));
        assertEquals(1.0, probabilities[0], 1e-15);
    }

    @Test
    void scoringUsesTheObservedCoordinatesOnly() {
        Mixture model = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(51));
        double[] row = {0.3, Double.NaN, -1.2, Double.NaN};
        double[] joint = new double[3];
        MissingValues.logJoint(JavaLikelihoodKernel.INSTANCE, DataBlock.of(row, D), model, joint, new HashMap<>());
        for (int c = 0; c < 3; c++) {
            Mixture marginal = MarginalMixture.of(model, new int[] {0, 2}).marginal();
            double[] direct = new double[3];
            JavaLikelihoodKernel.INSTANCE.logJoint(DataBlock.of(new double[] {0.3, -1.2}, 2), marginal, direct);
            assertEquals(direct[c], joint[c], 1e-13);
        }
    }
    @ParameterizedTest
    @ValueSource(ints = {3, 64, 70})
    void patternsGroupTheRowsByWhatTheyMissInOrderOfFirstAppearance(int d) {
        Random random = new Random(d);
        int n = 500;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < 0.3 ? Double.NaN : random.nextGaussian();
        }
        // Many rows share one of a few patterns, as real data does; the rest are all different.
        for (int i = 0; i < n; i += 3) {
            for (int a = 0; a < d; a++) {
                x[i * d + a] = a % 5 == i % 2 ? Double.NaN : 1.0;
            }
        }
        Map<BitSet, List<Integer>> expected = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            BitSet missing = new BitSet(d);
            for (int a = 0; a < d; a++) {
                if (Double.isNaN(x[i * d + a])) {
                    missing.set(a);
                }
            }
            expected.computeIfAbsent(missing, m -> new ArrayList<>()).add(i);
        }
        Map<BitSet, int[]> actual = MissingValues.patterns(DataBlock.of(x, d));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((m, rows) -> assertArrayEquals(rows.stream().mapToInt(Integer::intValue).toArray(),
                actual.get(m), m.toString()));
    }
}
