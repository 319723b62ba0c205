package io.mixspark.data;

import java.util.List;

/**
 * Several passes folded in one pass over the blocks: each block goes through every pass in turn,
 * so each pass sees its blocks in the order it would alone and folds them to the same result.
 * The accumulator holds one accumulator per pass, merged pass by pass.
 */
public final class CompositePass implements BlockAggregator<Object[]> {

    private static final long serialVersionUID = 1L;

    private final List<BlockAggregator<?>> passes;

    public CompositePass(List<? extends BlockAggregator<?>> passes) {
        if (passes.isEmpty()) {
            throw new IllegalArgumentException("a composite pass needs at least one pass");
        }
        this.passes = List.copyOf(passes);
    }

    public int size() {
        return passes.size();
    }

    @Override
    public Object[] zero() {
        Object[] out = new Object[passes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = passes.get(i).zero();
        }
        return out;
    }

    @Override
    public Object[] add(Object[] accumulator, DataBlock block) {
        for (int i = 0; i < accumulator.length; i++) {
            accumulator[i] = addTo(passes.get(i), accumulator[i], block);
        }
        return accumulator;
    }

    @Override
    public Object[] add(Object[] accumulator, FloatBlock block) {
        for (int i = 0; i < accumulator.length; i++) {
            accumulator[i] = addTo(passes.get(i), accumulator[i], block);
        }
        return accumulator;
    }

    @Override
    public Object[] merge(Object[] left, Object[] right) {
        for (int i = 0; i < left.length; i++) {
            left[i] = mergeIn(passes.get(i), left[i], right[i]);
        }
        return left;
    }

    /** The first kernel any of the passes runs with (all passes of a batch name the same one). */
    @Override
    public String kernelUsed() {
        String found = null;
        for (BlockAggregator<?> pass : passes) {
            String kernel = pass.kernelUsed();
            found = found == null ? kernel : found;
        }
        return found;
    }

    @Override
    public long accumulatorBytes() {
        long sum = 0;
        for (BlockAggregator<?> pass : passes) {
            sum += pass.accumulatorBytes();
        }
        return sum;
    }

    @SuppressWarnings("unchecked")
    private static <A> Object addTo(BlockAggregator<A> pass, Object accumulator, DataBlock block) {
        return pass.add((A) accumulator, block);
    }

    @SuppressWarnings("unchecked")
    private static <A> Object addTo(BlockAggregator<A> pass, Object accumulator, FloatBlock block) {
        return pass.add((A) accumulator, block);
    }

    @SuppressWarnings("unchecked")
    private static <A> Object mergeIn(BlockAggregator<A> pass, Object left, Object right) {
        return pass.merge((A) left, (A) right);
    }
}
