/**
 * The Spark side of the data abstractions of {@code io.mixspark.data}: only what must touch an
 * RDD. The algorithms themselves ({@code io.mixspark.em}, {@code io.mixspark.federated},
 * {@code io.mixspark.sdp}) are plain Java and run here unchanged.
 *
 * <ul>
 *   <li>{@link io.mixspark.spark.BlockPacker} packs DataFrame rows into blocks;</li>
 *   <li>{@link io.mixspark.spark.SparkBlockData}: a {@code BlockData} over cached blocks, each pass
 *       one Spark job, or in local mode folded in the driver's threads by
 *       {@code LocalBlockFold} from the second pass on ({@link io.mixspark.spark.LocalFoldSetting}),
 *       and on executor JVMs served by resident tasks ({@code ResidentPasses}, {@code ResidentTask},
 *       {@code PassServer}; {@link io.mixspark.spark.ResidentPassSetting});</li>
 *   <li>{@link io.mixspark.spark.SparkSiteData}: a {@code SiteData} over cached (site, block) pairs,
 *       with local fits that run one site per task;</li>
 *   <li>{@link io.mixspark.spark.SparkFactorData}: the Burer-Monteiro factor partitioned with the
 *       cached blocks, and {@link io.mixspark.spark.SparkSdpFit}, which hands it to
 *       {@code io.mixspark.sdp.SdpFit};</li>
 *   <li>{@link io.mixspark.spark.SyntheticData}: rows drawn from a mixture on the executors, and
 *       {@link io.mixspark.spark.MissingPatterns}: missing values punched into such rows.</li>
 * </ul>
 *
 * <p>The Estimators are in {@code io.mixspark.spark.ml}, the command line in {@code io.mixspark.cli}.
 */
package io.mixspark.spark;
