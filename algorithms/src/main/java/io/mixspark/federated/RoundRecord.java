package io.mixspark.federated;

import io.mixspark.em.IterationRecord;

/**
 * One round of a federated algorithm: the server sends the model down to every site, every site
 * sends its statistics up.
 *
 * @param round             1-based
 * @param meanLogLikelihood mean log-likelihood per unit row weight of the model sent down (NaN
 *                          when it is not released, as under differential privacy)
 * @param change            change from the previous round (NaN for the first, or when not released)
 * @param components        components of the model sent down
 * @param sites             sites that took part
 * @param bytesDown         bytes sent from the server to all sites (8 per double)
 * @param bytesUp           bytes sent from all sites to the server (8 per double)
 * @param seconds           wall time of the round
 */
public record RoundRecord(int round, double meanLogLikelihood, double change, int components, int sites,
                          long bytesDown, long bytesUp, double seconds) {

    public RoundRecord {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        if (bytesDown < 0 || bytesUp < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytesDown + " down and " + bytesUp + " up");
        }
    }

    /** Bytes both ways. */
    public long bytes() {
        return bytesDown + bytesUp;
    }

    /** The same round as an EM iteration record, for the listeners and logs of centralised EM. */
    public IterationRecord asIterationRecord() {
        return new IterationRecord(round, meanLogLikelihood, change, seconds, components);
    }
}
