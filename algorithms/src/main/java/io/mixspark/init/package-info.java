/**
 * EM's starts on one machine: k-means++ and k-means|| seeding of centres, and mclust's
 * model-based agglomerative hierarchical clustering on a sample.
 */
package io.mixspark.init;
