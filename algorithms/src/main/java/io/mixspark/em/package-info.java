/**
 * The EM fitter: initialisation, restarts, iterations and convergence, over any
 * {@link io.mixspark.data.BlockData}, in memory or on Spark alike.
 */
package io.mixspark.em;
