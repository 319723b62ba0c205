/**
 * Gaussian mixtures fitted across sites that keep their rows, over data split by site
 * ({@link io.mixspark.data.SiteData}).
 *
 * <p>{@link io.mixspark.federated.FederatedFit} is the whole fit that {@code mixspark federated}
 * and the Estimator run, in this order:
 * <ol>
 *   <li>the start: a given mixture; or per-site fits ({@link io.mixspark.federated.LocalFits},
 *       with sites too small for k components pooled into pseudo-sites,
 *       {@link io.mixspark.federated.SiteGroups}) pooled and reduced by composite transportation
 *       ({@link io.mixspark.federated.MixtureReduction}, Zhang &amp; Chen, JMLR 2022, started by
 *       {@link io.mixspark.federated.RunnallsMerging}); or, for the private fit, a mixture drawn
 *       without the data ({@link io.mixspark.federated.StartingMixtures});</li>
 *   <li>the rounds: federated EM in which only sufficient statistics travel
 *       ({@link io.mixspark.federated.FederatedEm}), personalised mixing weights per site
 *       ({@link io.mixspark.federated.PersonalizedEm}, after FedGMM, Wu et al., ICML 2023), or a
 *       differentially private federated EM ({@link io.mixspark.federated.PrivateFederatedEm}:
 *       clipping, the Gaussian mechanism and zCDP accounting, after DP-EM, Park et al., AISTATS
 *       2017);</li>
 *   <li>one E-step over all rows, scored as a centralised fit.</li>
 * </ol>
 *
 * <p>Nothing here imports Spark. Every pass a site runs is a serialisable
 * {@link io.mixspark.data.BlockAggregator}, so the Spark module only implements
 * {@link io.mixspark.data.SiteData} over an RDD of (site, block) pairs ({@code SparkSiteData})
 * and offers local fits that run one site per task.
 */
package io.mixspark.federated;
