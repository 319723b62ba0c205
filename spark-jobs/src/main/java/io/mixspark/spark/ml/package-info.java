/**
 * MixSpark's Spark ML stages: the estimators {@link io.mixspark.spark.ml.MixSparkGaussianMixture}
 * (distributed EM), {@link io.mixspark.spark.ml.SdpClustering} and
 * {@link io.mixspark.spark.ml.FederatedGaussianMixture}, which share
 * {@link io.mixspark.spark.ml.MixSparkEstimator}, and the one model they all return,
 * {@link io.mixspark.spark.ml.MixSparkGaussianMixtureModel}, with its persistence. Their shared
 * Params live in {@link io.mixspark.spark.ml.param}.
 */
package io.mixspark.spark.ml;
