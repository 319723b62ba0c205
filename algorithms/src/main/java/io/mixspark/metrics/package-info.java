/**
 * External validation of clusterings: scores that compare a fitted labelling (for example the most
 * probable mixture component of each point) with known classes, namely the adjusted Rand index,
 * normalised mutual information and the misclustering rate, plus the optimal one-to-one matching of
 * predicted clusters to true classes (Hungarian algorithm) behind the last.
 */
package io.mixspark.metrics;
