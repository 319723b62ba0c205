/**
 * Rows as blocks and the passes over them: {@link io.mixspark.data.MixtureData} is what a fit
 * reads (in memory here, a cached RDD in the Spark module) and
 * {@link io.mixspark.data.BlockAggregator} is the one shape of every pass.
 */
package io.mixspark.data;
