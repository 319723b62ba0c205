package io.mixspark.gmm;

import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import java.lang.ref.WeakReference;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The E-step as a pass over blocks: the sufficient statistics of all rows under a mixture. Rows
 * with missing values (NaN) contribute their expected complete-data statistics
 * ({@link MissingValues}); rows with a known component contribute to it alone
 * ({@link KnownLabels}).
 */
public final class ExpectationPass extends StatisticsPass {

    private static final long serialVersionUID = 1L;

    private final Mixture model;
    private final boolean searchesForMissing;
    /** The marginal mixtures of the missingness patterns met so far in this JVM. */
    private transient Map<BitSet, MarginalMixture> marginals;
    /** Per known component, that component alone and its marginal mixtures. */
    private transient Map<Integer, Mixture> components;
    private transient Map<Integer, Map<BitSet, MarginalMixture>> componentMarginals;

    public ExpectationPass(Mixture model, String kernelName) {
        this(model, kernelName, true);
    }

    private ExpectationPass(Mixture model, String kernelName, boolean searchesForMissing) {
        super(kernelName);
        this.model = model;
        this.searchesForMissing = searchesForMissing;
    }

    /**
     * The E-step over rows the caller knows have no missing values (a count of the data's missing
     * values found none): no block is searched for NaN, a read of every value that would otherwise
     * come before the kernel's own in every iteration. Rows with a NaN would reach the kernel as
     * they are and make the statistics NaN.
     */
    public static ExpectationPass overCompleteRows(Mixture model, String kernelName) {
        return new ExpectationPass(model, kernelName, false);
    }

    Mixture model() {
        return model;
    }

    /**
     * Copies of one pass deserialised in one JVM (one per Spark task, one per partition in the
     * driver's fold) share one model object, the one the first copy brought: a kernel shared by
     * the JVM's threads keeps the arrays it lays the model out in for the last model object it
     * met, and with a model object per copy each thread would lay them out again whenever another
     * thread's block ran last. Only a model equal to the last one in every value is replaced, so
     * the arithmetic is the same.
     */
    private Object readResolve() {
        Mixture shared = SharedModel.of(model);
        return shared == model ? this : new ExpectationPass(shared, kernelName(), searchesForMissing);
    }

    /** The model the last deserialised pass brought into this JVM, while something still uses it. */
    private static final class SharedModel {
        private static WeakReference<Mixture> last = new WeakReference<>(null);

        static synchronized Mixture of(Mixture model) {
            Mixture previous = last.get();
            if (previous != null && previous.equals(model)) {
                return previous;
            }
            last = new WeakReference<>(model);
            return model;
        }
    }

    /** Whether each block is searched for missing values before the kernel runs on it. */
    boolean searchesForMissing() {
        return searchesForMissing;
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, DataBlock block) {
        SufficientStatistics into = shaped(acc);
        if (!block.hasLabels()) {
            if (marginals == null) {
                marginals = new HashMap<>();
            }
            addRows(block, model, into, marginals);
            return into;
        }
        if (components == null) {
            components = new HashMap<>();
            componentMarginals = new HashMap<>();
            marginals = marginals == null ? new HashMap<>() : marginals;
        }
        for (Map.Entry<Integer, int[]> group : KnownLabels.groups(block, model.k()).entrySet()) {
            int label = group.getKey();
            DataBlock rows = block.select(group.getValue(), block.allColumns());
            if (label == DataBlock.UNLABELLED) {
                addRows(rows, model, into, marginals);
                continue;
            }
            Mixture alone = components.computeIfAbsent(label, c -> KnownLabels.component(model, c));
            SufficientStatistics own = SufficientStatistics.zeroFor(alone);
            addRows(rows, alone, own, componentMarginals.computeIfAbsent(label, c -> new HashMap<>()));
            KnownLabels.addKnown(own, label, model.logWeight(label), into);
        }
        return into;
    }

    /** The ordinary E-step of some rows under a mixture, with or without missing values. */
    private void addRows(DataBlock rows, Mixture under, SufficientStatistics into,
                         Map<BitSet, MarginalMixture> patterns) {
        if (searchesForMissing && MissingValues.hasMissing(rows)) {
            MissingValues.expectation(kernel(), rows, under, into, patterns);
        } else {
            kernel().expectation(rows, under, into);
        }
    }

    @Override
    public SufficientStatistics add(SufficientStatistics acc, FloatBlock block) {
        SufficientStatistics into = shaped(acc);
        kernel().expectation(block, model, into);
        return into;
    }

    @Override
    public long accumulatorBytes() {
        return statisticsBytes(model.k(), model.d(), model.covarianceType().needsFullScatter());
    }

    /** The accumulator, or zero statistics shaped for the model in place of the empty one. */
    private SufficientStatistics shaped(SufficientStatistics acc) {
        return acc.isEmpty() ? SufficientStatistics.zeroFor(model) : acc;
    }
}
