/**
 * Native SIMD backends of {@link io.mixspark.gmm.LikelihoodKernel}: one shared library with
 * AVX-512, AVX2 and scalar code paths, chosen at run time from cpuid and loaded the same way on
 * the driver and every executor.
 */
package io.mixspark.nativekernel;
