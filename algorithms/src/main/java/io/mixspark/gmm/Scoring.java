package io.mixspark.gmm;

import io.mixspark.data.DataBlock;

/**
 * Prediction with a fitted mixture over a block of rows: responsibilities, hard labels and log
 * densities, all from one {@link LikelihoodKernel#logJoint} call and log-sum-exp.
 */
public final class Scoring {

    private Scoring() {
    }

    /**
     * Posterior probabilities, row-major rows x k; each row sums to 1. A row with missing values
     * (NaN) is scored on its observed coordinates.
     */
    public static double[] predictProba(LikelihoodKernel kernel, Mixture model, DataBlock block) {
        int k = model.k();
        double[] out = new double[block.rows() * k];
        logJoint(kernel, model, block, out);
        normalise(out, block.rows(), k);
        return out;
    }

    /** Turns each row of log joint densities (row-major rows x k) into posterior probabilities. */
    static void normalise(double[] logJoint, int rows, int k) {
        for (int i = 0; i < rows; i++) {
            double norm = logSumExp(logJoint, i * k, k);
            for (int c = 0; c < k; c++) {
                logJoint[i * k + c] = Math.exp(logJoint[i * k + c] - norm);
            }
        }
    }

    private static void logJoint(LikelihoodKernel kernel, Mixture model, DataBlock block, double[] out) {
        if (MissingValues.hasMissing(block)) {
            MissingValues.logJoint(kernel, block, model, out, new java.util.HashMap<>());
        } else {
            kernel.logJoint(block, model, out);
        }
    }

    /** The most probable component of each row (the argmax of {@link #predictProba}). */
    public static int[] predict(LikelihoodKernel kernel, Mixture model, DataBlock block) {
        return argmaxRows(predictProba(kernel, model, block), block.rows(), model.k());
    }

    /** Log density of the mixture at each row (of its observed coordinates, when some are NaN). */
    public static double[] scoreSamples(LikelihoodKernel kernel, Mixture model, DataBlock block) {
        int k = model.k();
        double[] joint = new double[block.rows() * k];
        logJoint(kernel, model, block, joint);
        double[] out = new double[block.rows()];
        for (int i = 0; i < block.rows(); i++) {
            out[i] = logSumExp(joint, i * k, k);
        }
        return out;
    }

    /** Index of the largest value in each row of a row-major rows x k array (first on ties). */
    public static int[] argmaxRows(double[] values, int rows, int k) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (values[i * k + c] > values[i * k + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** log sum_j exp(values[offset + j]) for j < length, without overflow. */
    public static double logSumExp(double[] values, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
            max = Math.max(max, values[offset + j]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int j = 0; j < length; j++) {
            sum += Math.exp(values[offset + j] - max);
        }
        return max + Math.log(sum);
    }
}
