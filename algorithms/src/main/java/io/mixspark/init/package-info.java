/** Seeding of k-means centres for EM's start: k-means++ on one machine, k-means|| over passes. */
package io.mixspark.init;
