/**
 * Rows as blocks and the passes over them: the one family of data abstractions that every
 * algorithm reads, in memory here and on a cached RDD in the Spark module.
 *
 * <ul>
 *   <li>{@link io.mixspark.data.DataBlock} (and its single-precision form
 *       {@link io.mixspark.data.FloatBlock}): the unit every kernel works on;</li>
 *   <li>{@link io.mixspark.data.BlockAggregator}: a mergeable pass over blocks, the one shape of
 *       every EM, k-means, counting and sampling pass;</li>
 *   <li>{@link io.mixspark.data.CompositePass} and {@link io.mixspark.data.BatchedPasses}: many
 *       passes in one, so that independent computations (the fits of a model-selection grid)
 *       share each pass over the blocks;</li>
 *   <li>{@link io.mixspark.data.BlockData}: rows in blocks, read only by aggregating over them
 *       ({@link io.mixspark.data.InMemoryBlockData} here, {@code SparkBlockData} on Spark);</li>
 *   <li>{@link io.mixspark.data.SiteData}: the blocks split by site, each site aggregated with its
 *       own pass ({@link io.mixspark.data.InMemorySiteData} here, {@code SparkSiteData} on
 *       Spark);</li>
 *   <li>{@link io.mixspark.data.Missingness}: where values are missing (NaN), from one pass, and
 *       {@link io.mixspark.data.MissingValueMode}: what a job does with rows that miss some.</li>
 * </ul>
 *
 * <p>The Burer-Monteiro solver's {@code io.mixspark.sdp.FactorData} extends
 * {@link io.mixspark.data.BlockData} but stays in {@code io.mixspark.sdp}: what it keeps beside
 * each block is that solver's own state.
 */
package io.mixspark.data;
