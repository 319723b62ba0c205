package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The E-step as a pass over blocks: the sufficient statistics of all rows under a mixture. Rows
 * with missing values (NaN) contribute their expected complete-data statistics
 * ({@link MissingValues}).
 */
public final class ExpectationPass extends StatisticsPass {

    private static final long serialVersionUID = 1L;

    private final Mixture model;
    /** The marginal mixtures of the missingness patterns met so far in this JVM. */
    private transient Map<BitSet, MarginalMixture> marginals;

    public ExpectationPass(Mixture model, String kernelName) {
        super(kernelName);
        this.model = model;
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, DataBlock block) {
        SufficientStatistics into = shaped(acc);
        if (MissingValues.hasMissing(block)) {
            if (marginals == null) {
                marginals = new HashMap<>();
            }
            MissingValues.expectation(kernel(), block, model, into, marginals);
        } else {
            kernel().expectation(block, model, into);
        }
        return into;
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, FloatBlock block) {
        SufficientStatistics into = shaped(acc);
        kernel().expectation(block, model, into);
        return into;
    }

    /** The accumulator, or zero statistics shaped for the model in place of the empty one. */
    private SufficientStatistics shaped(SufficientStatistics acc) {
        return acc.isEmpty() ? SufficientStatistics.zeroFor(model) : acc;
    }
}
