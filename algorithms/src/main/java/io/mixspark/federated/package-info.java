/**
 * Gaussian mixtures fitted across sites that keep their rows: data split by site
 * ({@link io.mixspark.federated.SiteData}), per-site fits ({@link io.mixspark.federated.LocalFits}),
 * one-shot aggregation of the local mixtures by composite-transportation reduction
 * ({@link io.mixspark.federated.MixtureReduction}, Zhang &amp; Chen, JMLR 2022, started by
 * {@link io.mixspark.federated.RunnallsMerging}), federated EM in which only sufficient statistics
 * travel ({@link io.mixspark.federated.FederatedEm}), personalised mixing weights per site
 * ({@link io.mixspark.federated.PersonalizedEm}, after FedGMM, Wu et al., ICML 2023), and a
 * differentially private federated EM ({@link io.mixspark.federated.PrivateFederatedEm}: clipping,
 * the Gaussian mechanism and zCDP accounting, after DP-EM, Park et al., AISTATS 2017).
 *
 * <p>Nothing here imports Spark. Every pass a site runs is a serialisable
 * {@link io.mixspark.data.BlockAggregator}, so the Spark module only has to implement
 * {@link io.mixspark.federated.SiteData} over an RDD of (site, block) pairs.
 */
package io.mixspark.federated;
