package io.mixspark.gmm;

import io.mixspark.data.DataBlock;

/**
 * A k-means pass: every row goes wholly to its nearest centre (or to its known component, when it
 * has one), and the statistics collect each
 * centre's weighted count and moments about that centre. A Lloyd step is the mean of each
 * group; the M-step of the result is the mixture that hard labels imply. The statistics'
 * log-likelihood holds minus the weighted within-cluster sum of squares.
 */
public final class NearestCentrePass extends StatisticsPass {

    private static final long serialVersionUID = 1L;

    private final double[] centres;
    private final int k;
    private final boolean fullScatter;

    /**
     * @param centres     row-major k x d
     * @param fullScatter whether to collect full scatter matrices (else only their diagonals)
     */
    public NearestCentrePass(double[] centres, int k, boolean fullScatter, String kernelName) {
        super(kernelName);
        this.centres = centres.clone();
        this.k = k;
        this.fullScatter = fullScatter;
    }

    @Override
    public long accumulatorBytes() {
        return statisticsBytes(k, centres.length / k, fullScatter);
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, DataBlock block) {
        SufficientStatistics into = acc.isEmpty()
                ? SufficientStatistics.zero(k, block.d(), fullScatter, centres) : acc;
        int[] labels = new int[block.rows()];
        double[] distances = new double[block.rows()];
        kernel().nearestCentres(block, centres, k, labels, distances);
        for (int i = 0; i < block.rows(); i++) {
            int known = block.label(i);
            if (known != DataBlock.UNLABELLED) {
                DataBlock.requireComponent(known, k);
                labels[i] = known;
            }
            double w = block.weight(i);
            into.addRowTotals(w, -distances[i], 0);
            if (w != 0) {
                into.addToComponent(labels[i], w, block.values(), i * block.d());
            }
        }
        return into;
    }
}
