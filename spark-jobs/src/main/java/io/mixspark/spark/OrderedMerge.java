package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;

/**
 * Merges the partitions' results of a pass in partition order while they arrive in any order: each
 * result is merged as soon as every earlier one has been, and dropped then, so only the results
 * that arrived ahead of a missing one are held (a pass's accumulators can be large; see
 * {@code BatchedPasses}). The merges are those of a loop over the results in order, starting from
 * the pass's zero, so the sum is the same to the bit.
 */
final class OrderedMerge<A> {

    private final BlockAggregator<A> pass;
    /** Results waiting for an earlier one; null once merged or before arrival. */
    private final Object[] waiting;
    private final boolean[] arrived;
    private int next;
    private int held;
    private A merged;

    /** @param size how many results the pass gives, numbered 0 to size - 1 */
    OrderedMerge(BlockAggregator<A> pass, int size) {
        this.pass = pass;
        this.waiting = new Object[size];
        this.arrived = new boolean[size];
        this.merged = pass.zero();
    }

    /** Takes the result at this position, and merges every result now in order. */
    @SuppressWarnings("unchecked")
    synchronized void offer(int position, A result) {
        if (arrived[position]) {
            throw new IllegalStateException("result " + position + " arrived twice");
        }
        arrived[position] = true;
        waiting[position] = result;
        held++;
        while (next < waiting.length && arrived[next]) {
            A partial = (A) waiting[next];
            waiting[next] = null;
            held--;
            next++;
            merged = pass.merge(merged, partial);
        }
    }

    /** Results taken but not merged yet, waiting for an earlier one. */
    synchronized int held() {
        return held;
    }

    /** The merge of every result; throws IllegalStateException if one is missing. */
    synchronized A result() {
        if (next < waiting.length) {
            throw new IllegalStateException("result " + next + " of " + waiting.length + " has not arrived");
        }
        return merged;
    }
}
