package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import java.util.Arrays;

/**
 * The Java kernel in float arithmetic, with the native float kernels' semantics: each row is
 * centred on a component in double and rounded to float; the quadratic form and the weighted sums
 * and scatters are computed in float, the latter over chunks of {@value #CHUNK} rows that are then
 * added to the double statistics. Log-determinants, log joints, the log-sum-exp and the counts
 * stay double.
 */
public final class JavaFloatLikelihoodKernel extends LikelihoodKernel {

    public static final JavaFloatLikelihoodKernel INSTANCE = new JavaFloatLikelihoodKernel();

    /** Rows whose float partial sums are added to the double statistics together, as in native code. */
    static final int CHUNK = 128;

    /**
     * The smallest weight * responsibility that enters the float sums and scatters (it still adds
     * to the double count): below it the products would be subnormal floats, which slow every
     * multiply-add they enter in native code, for terms beyond float's reach anyway.
     */
    static final double FLOOR = 1e-30;

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private JavaFloatLikelihoodKernel() {
    }

    @Override
    public String name() {
        return JavaLikelihoodKernel.INSTANCE.name();
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT;
    }

    @Override
    public LikelihoodKernel withPrecision(Precision precision) {
        return precision == Precision.FLOAT ? this : JavaLikelihoodKernel.INSTANCE;
    }

    @Override
    protected void expectationKernel(DataBlock block, Mixture model, SufficientStatistics into) {
        int k = model.k();
        int d = block.d();
        boolean full = model.covarianceType().needsFullScatter();
        int scatterSize = full ? d * d : d;
        float[][] factors = floatFactors(model);
        double[] logp = new double[k];
        float[] centred = new float[d];
        float[] work = new float[d];
        float[] chunkSums = new float[k * d];
        float[] chunkScatters = new float[k * scatterSize];
        double[] counts = countsOf(into);
        double[] sums = sumsOf(into);
        double[] scatters = scattersOf(into);
        double[] x = block.values();
        for (int start = 0; start < block.rows(); start += CHUNK) {
            int end = Math.min(block.rows(), start + CHUNK);
            for (int i = start; i < end; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    centre(model, c, x, i * d, centred);
                    logp[c] = model.logWeight(c) + logDensity(model, c, factors[c], centred, work);
                    max = Math.max(max, logp[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(logp[c] - max);
                }
                double logNorm = max + Math.log(sum);
                double rowWeight = block.weight(i);
                addTotals(into, 1, rowWeight, rowWeight * logNorm, rowWeight * (max - logNorm));
                if (rowWeight == 0) {
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    double r = rowWeight * Math.exp(logp[c] - logNorm);
                    if (r > 0) {
                        counts[c] += r;
                        if (r >= FLOOR) {
                            centre(model, c, x, i * d, centred);
                            addMoments((float) r, centred, chunkSums, c * d, chunkScatters, c * scatterSize, full);
                        }
                    }
                }
            }
            flush(chunkSums, sums);
            flush(chunkScatters, scatters);
        }
    }

    @Override
    protected void logJointKernel(DataBlock block, Mixture model, double[] out) {
        int k = model.k();
        int d = block.d();
        float[][] factors = floatFactors(model);
        float[] centred = new float[d];
        float[] work = new float[d];
        double[] x = block.values();
        for (int i = 0; i < block.rows(); i++) {
            for (int c = 0; c < k; c++) {
                centre(model, c, x, i * d, centred);
                out[i * k + c] = model.logWeight(c) + logDensity(model, c, factors[c], centred, work);
            }
        }
    }

    @Override
    protected void nearestCentresKernel(DataBlock block, double[] centres, int k, int[] labels, double[] distances) {
        JavaLikelihoodKernel.INSTANCE.nearestCentres(block, centres, k, labels, distances);
    }

    /**
     * log |det P_c| of the precision factor rounded to float, the one the float products use, so
     * that each density stays normalised: the float E-step is then the exact E-step of a model a
     * rounding away, whose log-likelihood differs from the double model's only at second order
     * near a maximum. With the double log-determinant instead, an ill-conditioned covariance
     * (breast cancer's) shifts every row's log density the same way, by about 1e-6 relative.
     */
    public static double roundedLogDetPrecisionFactor(Mixture model, int c) {
        double[] p = model.precisionFactorView(c);
        int d = model.d();
        double correction = 0;
        switch (model.covarianceType().storage()) {
            case FULL, TIED -> {
                for (int a = 0; a < d; a++) {
                    correction += roundingLog(p[a * d + a]);
                }
            }
            case DIAG -> {
                for (int a = 0; a < d; a++) {
                    correction += roundingLog(p[a]);
                }
            }
            case SPHERICAL -> correction = d * roundingLog(p[0]);
        }
        return model.logDetPrecisionFactor(c) + correction;
    }

    /** log |(float) v| - log |v|, accurately. */
    private static double roundingLog(double v) {
        return Math.log1p(((float) v - v) / v);
    }

    /** Each component's precision factor rounded to float. */
    private static float[][] floatFactors(Mixture model) {
        float[][] out = new float[model.k()][];
        for (int c = 0; c < model.k(); c++) {
            double[] p = model.precisionFactorView(c);
            out[c] = new float[p.length];
            for (int j = 0; j < p.length; j++) {
                out[c][j] = (float) p[j];
            }
        }
        return out;
    }

    /** out = x - mu_c, subtracted in double and rounded to float. */
    private static void centre(Mixture model, int c, double[] x, int offset, float[] out) {
        double[] mu = model.meansView();
        int base = c * out.length;
        for (int a = 0; a < out.length; a++) {
            out[a] = (float) (x[offset + a] - mu[base + a]);
        }
    }

    /** log N(x | mu_c, Sigma_c) with the quadratic form in float; work is scratch of length d. */
    private static double logDensity(Mixture model, int c, float[] p, float[] centred, float[] work) {
        int d = centred.length;
        float quadratic = 0;
        switch (model.covarianceType().storage()) {
            case FULL, TIED -> {
                Arrays.fill(work, 0);
                for (int a = 0; a < d; a++) {
                    int row = a * d;
                    for (int j = a; j < d; j++) {
                        work[j] += centred[a] * p[row + j];
                    }
                }
                for (int j = 0; j < d; j++) {
                    quadratic += work[j] * work[j];
                }
            }
            case DIAG, SPHERICAL -> {
                boolean diagonal = model.covarianceType().storage() == CovarianceStorage.DIAG;
                for (int a = 0; a < d; a++) {
                    float y = centred[a] * p[diagonal ? a : 0];
                    quadratic += y * y;
                }
            }
        }
        return -0.5 * (d * LOG_2PI + quadratic) + roundedLogDetPrecisionFactor(model, c);
    }

    /** Adds r * centred and the lower triangle of r * centred centred^T (or its diagonal) in float. */
    private static void addMoments(float r, float[] centred, float[] sums, int sumBase, float[] scatters,
                                   int scatterBase, boolean full) {
        int d = centred.length;
        for (int a = 0; a < d; a++) {
            float wa = r * centred[a];
            sums[sumBase + a] += wa;
            if (full) {
                int row = scatterBase + a * d;
                for (int b = 0; b <= a; b++) {
                    scatters[row + b] += wa * centred[b];
                }
            } else {
                scatters[scatterBase + a] += wa * centred[a];
            }
        }
    }

    /** Adds a chunk's float partial sums to the double statistics and clears them. */
    private static void flush(float[] chunk, double[] into) {
        for (int j = 0; j < chunk.length; j++) {
            into[j] += chunk[j];
        }
        Arrays.fill(chunk, 0);
    }
}
