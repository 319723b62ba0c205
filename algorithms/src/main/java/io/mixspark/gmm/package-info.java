/**
 * Gaussian mixtures: the immutable {@link io.mixspark.gmm.Mixture}, the likelihood kernels that
 * score blocks of rows, the mergeable {@link io.mixspark.gmm.SufficientStatistics} of the
 * E-step, and the M-step that turns them into the next mixture under the constraint of one of
 * mclust's covariance models ({@link io.mixspark.gmm.CovarianceType}).
 */
package io.mixspark.gmm;
