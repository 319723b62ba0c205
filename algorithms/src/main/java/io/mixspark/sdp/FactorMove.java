package io.mixspark.sdp;

import java.io.Serializable;

/**
 * One pass of the Burer-Monteiro solver over the factor partitions: each partition is replaced
 * by {@link #move}'s new partition, and the summaries meet through {@link #merge}, an
 * associative operation with identity {@link #zero}.
 *
 * @param <S> the summary sent back to the driver
 */
public interface FactorMove<S> extends Serializable {

    /** The partition after the move and its share of the summary. */
    Moved<S> move(FactorPartition partition);

    S zero();

    S merge(S left, S right);

    /** A moved partition and its summary. */
    record Moved<S>(FactorPartition partition, S summary) implements Serializable {
    }
}
