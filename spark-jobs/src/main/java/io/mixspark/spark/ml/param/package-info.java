/**
 * The Spark ML Params that MixSpark's estimators and models share, each declared once with its
 * doc, validator and default, as Spark declares its own in {@code ml/param/shared}.
 *
 * <p>{@link io.mixspark.spark.ml.param.MixSparkParams} keeps a stage's Param objects; every
 * {@code HasXxx} interface adds one Param (or a few that always go together) with its public
 * no-argument accessor, which is how Spark discovers params, its getter and a setter that
 * returns the concrete stage. An estimator file then reads as what is special about it.
 */
package io.mixspark.spark.ml.param;
