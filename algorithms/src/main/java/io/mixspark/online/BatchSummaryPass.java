package io.mixspark.online;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import io.mixspark.data.RowHash;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.KernelRef;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;

/**
 * Summarises a batch under the current model for one online-EM step ({@link BatchSummary}); get
 * one from {@link OnlineEm#summaryPass}. Without growth it is the E-step alone (with its float
 * path); with growth it also scores every row, so it costs about one extra kernel call per block,
 * and keeps novel rows apart. Novel rows lose their known component, if any; rows with missing
 * values are never novel.
 */
public final class BatchSummaryPass implements BlockAggregator<BatchSummary> {

    private static final long serialVersionUID = 1L;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int d;
    private final Mixture model;
    private final KernelRef kernel;
    private final boolean detectNovelty;
    private final double noveltyThreshold;
    private final int sampleRows;
    private final long hashSeed;
    private final ExpectationPass expectation;
    /** Per component, the log joint density below which a row lies outside its chi-square ellipsoid. */
    private final double[] ellipsoidBounds;

    /**
     * @param model     the current model, or null before the first batch (every row is then novel)
     * @param hashSeed  seeds the hash that picks the sampled rows
     */
    BatchSummaryPass(int d, Mixture model, OnlineEmOptions options, String kernelName, long hashSeed) {
        if (model != null && model.d() != d) {
            throw new IllegalArgumentException("the model has d=" + model.d() + ", the data has " + d + " columns");
        }
        this.d = d;
        this.model = model;
        this.kernel = new KernelRef(kernelName);
        this.detectNovelty = model != null && options.growth();
        this.noveltyThreshold = options.noveltyThreshold();
        this.sampleRows = options.sampleRows();
        this.hashSeed = hashSeed;
        this.expectation = model == null ? null : new ExpectationPass(model, kernelName);
        this.ellipsoidBounds = model == null ? null : ellipsoidBounds(model);
    }

    /**
     * log w_c + log N at the boundary of component c's {@link OnlineEmOptions#NOVELTY_LEVEL} ellipsoid,
     * whose squared Mahalanobis radius is the chi-square quantile (Wilson and Hilferty's approximation).
     */
    private static double[] ellipsoidBounds(Mixture model) {
        int d = model.d();
        double z = 3.090232306167813; // the standard normal quantile at NOVELTY_LEVEL = 0.999
        double h = 2.0 / (9 * d);
        double chiSquare = d * Math.pow(1 - h + z * Math.sqrt(h), 3);
        double[] out = new double[model.k()];
        for (int c = 0; c < model.k(); c++) {
            out[c] = model.logWeight(c) + model.logDetPrecisionFactor(c) - 0.5 * (d * LOG_2PI + chiSquare);
        }
        return out;
    }

    @Override
    public BatchSummary zero() {
        return new BatchSummary(SufficientStatistics.empty(), SufficientStatistics.empty(),
                new BoundedSample(d, sampleRows));
    }

    @Override
    public BatchSummary add(BatchSummary acc, DataBlock block) {
        if (block.d() != d) {
            throw new IllegalArgumentException("block has " + block.d() + " columns, the model has " + d);
        }
        if (model == null) {
            addUnmodelled(acc, block);
        } else if (!detectNovelty) {
            acc.setOrdinary(expectation.add(acc.ordinary(), block));
            acc.addRows(block.rows(), block.totalWeight(), 0, 0);
        } else {
            addWithNovelty(acc, block);
        }
        return acc;
    }

    @Override
    public BatchSummary add(BatchSummary acc, FloatBlock block) {
        if (model == null || detectNovelty || block.d() != d) {
            return add(acc, block.toDataBlock());
        }
        acc.setOrdinary(expectation.add(acc.ordinary(), block));
        double weight = block.weights() == null ? block.rows() : sum(block.weights(), block.rows());
        acc.addRows(block.rows(), weight, 0, 0);
        return acc;
    }

    @Override
    public BatchSummary merge(BatchSummary left, BatchSummary right) {
        return left.merge(right);
    }

    @Override
    public String kernelUsed() {
        return kernel.used();
    }

    /** Before the first model: count every row as novel and sample the complete ones. */
    private void addUnmodelled(BatchSummary acc, DataBlock block) {
        double[] x = block.values();
        for (int i = 0; i < block.rows(); i++) {
            double w = block.weight(i);
            if (w > 0 && complete(x, i * d)) {
                acc.sample().add(x, i * d, w, RowHash.bits(x, i * d, d, hashSeed));
            }
        }
        double weight = block.totalWeight();
        acc.addRows(block.rows(), weight, block.rows(), weight);
    }

    private void addWithNovelty(BatchSummary acc, DataBlock block) {
        int k = model.k();
        int n = block.rows();
        double[] joint = new double[n * k];
        kernel.get().logJoint(block, model, joint);
        double[] x = block.values();
        int[] novelIndexes = new int[n];
        int[] ordinaryIndexes = new int[n];
        int novelCount = 0;
        double novelWeight = 0;
        for (int i = 0; i < n; i++) {
            if (isNovel(joint, i * k, k) && complete(x, i * d)) {
                novelIndexes[novelCount++] = i;
                double w = block.weight(i);
                novelWeight += w;
                if (w > 0) {
                    acc.sample().add(x, i * d, w, RowHash.bits(x, i * d, d, hashSeed));
                }
            } else {
                ordinaryIndexes[i - novelCount] = i;
            }
        }
        if (novelCount == 0) {
            acc.setOrdinary(expectation.add(acc.ordinary(), block));
        } else {
            int[] all = block.allColumns();
            acc.setNovel(expectation.add(acc.novel(), block.select(java.util.Arrays.copyOf(novelIndexes, novelCount),
                    all)));
            if (novelCount < n) {
                acc.setOrdinary(expectation.add(acc.ordinary(),
                        block.select(java.util.Arrays.copyOf(ordinaryIndexes, n - novelCount), all)));
            }
        }
        acc.addRows(n, block.totalWeight(), novelCount, novelWeight);
    }

    /** Whether a row's log joint densities (k from offset) make it novel. */
    private boolean isNovel(double[] joint, int offset, int k) {
        if (!Double.isNaN(noveltyThreshold)) {
            return io.mixspark.gmm.Scoring.logSumExp(joint, offset, k) < noveltyThreshold;
        }
        for (int c = 0; c < k; c++) {
            if (!(joint[offset + c] < ellipsoidBounds[c])) {
                return false;
            }
        }
        return true;
    }

    private boolean complete(double[] x, int offset) {
        for (int a = 0; a < d; a++) {
            if (Double.isNaN(x[offset + a])) {
                return false;
            }
        }
        return true;
    }

    private static double sum(double[] values, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += values[i];
        }
        return s;
    }
}
