/**
 * Semidefinite relaxations of k-means and their scalable approximations.
 *
 * <ul>
 *   <li>{@link io.mixspark.sdp.KMeansSdp}: a dense ADMM solver of the Peng-Wei SDP (Peng and Wei,
 *       "Approximating K-means-type clustering via semidefinite programming", SIAM J. Optim. 18(1),
 *       2007), maximise &lt;X X^T, Z&gt; over Z PSD, Z &gt;= 0, Z 1 = 1, tr Z = K, for n up to a
 *       few thousand; its solution is exactly the cluster-membership matrix when the clusters are
 *       separated beyond the threshold of Chen and Yang ("Cutoff for exact recovery of Gaussian
 *       mixture models", IEEE Trans. Inf. Theory 67(6), 2021).</li>
 *   <li>{@link io.mixspark.sdp.SdpRounding}: top-K eigenvectors of Z, then k-means++ on their rows.</li>
 *   <li>{@link io.mixspark.sdp.KMeansSdpCertificate}: a lower bound on the k-means cost of every
 *       partition from the SDP's dual, which certifies a partition optimal when the relaxation is
 *       tight.</li>
 *   <li>{@link io.mixspark.sdp.BurerMonteiroSdp}: the nonnegative low-rank factorisation Z = U U^T
 *       solved by projected gradient on an augmented Lagrangian, O(n K d) per iteration (Zhuang,
 *       Chen, Yang and Zhang, "Statistically optimal K-means clustering via nonnegative low-rank
 *       semidefinite programming", ICLR 2024; Burer and Monteiro, Math. Program. 95, 2003).</li>
 *   <li>{@link io.mixspark.sdp.SketchAndLift}: solve on a hashed row sample, then assign every row
 *       to the nearest sample centroid (Zhuang, Chen and Yang, "Sketch-and-lift: scalable
 *       subsampled semidefinite program for K-means clustering", AISTATS 2022).</li>
 *   <li>{@link io.mixspark.sdp.IlaSdp}: iterative likelihood-adjusted SDP for clusters of different
 *       shapes (Zhuang, Chen and Yang, "Likelihood adjusted semidefinite programs for clustering
 *       heterogeneous data", ICML 2023): one membership block per cluster, whose cost is the Gaussian
 *       likelihood under that cluster's Ledoit-Wolf-shrunk covariance
 *       ({@link io.mixspark.sdp.LedoitWolfShrinkage}), solved by the coupled ADMM
 *       {@code CoupledBlockSdp}; its result carries a full-covariance
 *       {@link io.mixspark.gmm.Mixture} whose MAP rule lifts a sketch's labels to every row.</li>
 * </ul>
 *
 * <p>{@link io.mixspark.sdp.SdpFit} is the whole clustering that {@code mixspark sdp} and the
 * Estimator run, with its {@link io.mixspark.sdp.SdpSettings}: the chosen relaxation and solver,
 * then the mixture whose MAP rule is the SDP's lift rule, scored by one E-step over all rows.
 *
 * <p>Nothing here imports Spark: the sketch only needs a {@link io.mixspark.data.BlockData}
 * aggregation, and Burer-Monteiro keeps its factor beside the rows through
 * {@link io.mixspark.sdp.FactorData} ({@link io.mixspark.sdp.InMemoryFactorData} here,
 * {@code SparkFactorData} in the Spark module), so the same code runs on blocks in memory or in a
 * cached RDD. {@code FactorData} and its partitions ({@link io.mixspark.sdp.FactorPartition},
 * {@link io.mixspark.sdp.FactorMove}) live here rather than in {@code io.mixspark.data} because
 * what they hold beside each block is this solver's state (centred rows, factor, dual, labels).
 */
package io.mixspark.sdp;
