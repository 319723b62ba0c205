package io.mixspark.gmm;

import io.mixspark.data.DataBlock;

/**
 * The pure-Java likelihood kernel: the reference every other backend is tested against, and
 * the fallback wherever native code cannot load. Log densities use the precision Cholesky
 * factor, y = (x - mu) P, and log-sum-exp over components.
 */
public final class JavaLikelihoodKernel extends LikelihoodKernel {

    public static final JavaLikelihoodKernel INSTANCE = new JavaLikelihoodKernel();

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private JavaLikelihoodKernel() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public LikelihoodKernel withPrecision(Precision precision) {
        return precision == Precision.FLOAT ? JavaFloatLikelihoodKernel.INSTANCE : this;
    }

    @Override
    protected void expectationKernel(DataBlock block, Mixture model, SufficientStatistics into) {
        int k = model.k();
        int d = block.d();
        double[] x = block.values();
        double[] logp = new double[k];
        double[] work = new double[d];
        for (int i = 0; i < block.rows(); i++) {
            int offset = i * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                logp[c] = model.logWeight(c) + logDensity(model, c, x, offset, work);
                max = Math.max(max, logp[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logp[c] - max);
            }
            double logNorm = max + Math.log(sum);
            double rowWeight = block.weight(i);
            into.addRowTotals(rowWeight, logNorm, max - logNorm);
            if (rowWeight == 0) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                double r = Math.exp(logp[c] - logNorm);
                if (r > 0) {
                    into.addToComponent(c, rowWeight * r, x, offset);
                }
            }
        }
    }

    @Override
    protected void logJointKernel(DataBlock block, Mixture model, double[] out) {
        int k = model.k();
        int d = block.d();
        double[] x = block.values();
        double[] work = new double[d];
        for (int i = 0; i < block.rows(); i++) {
            for (int c = 0; c < k; c++) {
                out[i * k + c] = model.logWeight(c) + logDensity(model, c, x, i * d, work);
            }
        }
    }

    @Override
    protected void nearestCentresKernel(DataBlock block, double[] centres, int k, int[] labels, double[] distances) {
        int d = block.d();
        double[] x = block.values();
        for (int i = 0; i < block.rows(); i++) {
            int offset = i * d;
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dist = 0;
                for (int a = 0; a < d; a++) {
                    double diff = x[offset + a] - centres[c * d + a];
                    dist += diff * diff;
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            labels[i] = best;
            distances[i] = bestDistance;
        }
    }

    /** log N(x | mu_c, Sigma_c) for the row at offset; work is scratch of length d. */
    static double logDensity(Mixture model, int c, double[] x, int offset, double[] work) {
        int d = model.d();
        double[] mu = model.meansView();
        double[] p = model.precisionFactorView(c);
        int muBase = c * d;
        double quadratic = 0;
        switch (model.covarianceType().storage()) {
            case FULL, TIED -> {
                // y = (x - mu) P with P upper triangular: y_j = sum_{a <= j} diff_a P[a][j].
                java.util.Arrays.fill(work, 0);
                for (int a = 0; a < d; a++) {
                    double diff = x[offset + a] - mu[muBase + a];
                    int row = a * d;
                    for (int j = a; j < d; j++) {
                        work[j] += diff * p[row + j];
                    }
                }
                for (int j = 0; j < d; j++) {
                    quadratic += work[j] * work[j];
                }
            }
            case DIAG -> {
                for (int a = 0; a < d; a++) {
                    double y = (x[offset + a] - mu[muBase + a]) * p[a];
                    quadratic += y * y;
                }
            }
            case SPHERICAL -> {
                double sum = 0;
                for (int a = 0; a < d; a++) {
                    double diff = x[offset + a] - mu[muBase + a];
                    sum += diff * diff;
                }
                quadratic = sum * p[0] * p[0];
            }
        }
        return -0.5 * (d * LOG_2PI + quadratic) + model.logDetPrecisionFactor(c);
    }
}
