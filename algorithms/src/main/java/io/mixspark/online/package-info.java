/**
 * Online EM for Gaussian mixtures (Cappé and Moulines, 2009): a mixture that learns from one
 * mini-batch at a time through running sufficient statistics, grows components for rows it
 * explains poorly (after Pinto and Engel's FIGMN, 2015) and prunes those that fade. Used by the
 * streaming job (one step per micro-batch) and by mini-batch EM over cached blocks. No Spark here:
 * a batch's {@link io.mixspark.online.BatchSummary} is computed by a
 * {@link io.mixspark.data.BlockAggregator} that runs wherever the blocks are.
 */
package io.mixspark.online;
