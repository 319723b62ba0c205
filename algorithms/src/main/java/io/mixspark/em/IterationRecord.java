package io.mixspark.em;

import java.io.Serializable;

/**
 * One EM iteration: the E-step of the mixture after {@code iteration - 1} updates.
 *
 * @param iteration         1-based
 * @param meanLogLikelihood mean log-likelihood per unit row weight of that mixture
 * @param change            change from the previous iteration (NaN for the first)
 * @param seconds           wall time of the iteration (E-step and M-step)
 * @param components        components of the evaluated mixture
 */
public record IterationRecord(int iteration, double meanLogLikelihood, double change, double seconds,
                              int components) implements Serializable {
}
