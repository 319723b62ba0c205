/**
 * JMH benchmarks of the likelihood kernels: every backend this CPU runs, over a grid of d and k,
 * with the FP64 peak measured in the same run (docs/PERFORMANCE.md).
 */
package io.mixspark.bench;
