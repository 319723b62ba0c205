package io.mixspark.gmm;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;

/** The E-step as a pass over blocks: the sufficient statistics of all rows under a mixture. */
public final class ExpectationPass implements BlockAggregator<SufficientStatistics> {

    private static final long serialVersionUID = 1L;

    private final Mixture model;
    private final String kernelName;
    private transient LikelihoodKernel kernel;

    public ExpectationPass(Mixture model, String kernelName) {
        this.model = model;
        this.kernelName = kernelName;
    }

    @Override
    public SufficientStatistics zero() {
        return SufficientStatistics.empty();
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, DataBlock block) {
        SufficientStatistics into = acc.isEmpty() ? SufficientStatistics.zeroFor(model) : acc;
        kernel().expectation(block, model, into);
        return into;
    }

    @Override
    public SufficientStatistics merge(SufficientStatistics left, SufficientStatistics right) {
        return left.isEmpty() ? right : left.merge(right);
    }

    private LikelihoodKernel kernel() {
        if (kernel == null) {
            kernel = Kernels.namedOrBest(kernelName);
        }
        return kernel;
    }
}
