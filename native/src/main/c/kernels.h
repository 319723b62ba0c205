/*
 * MixSpark native likelihood kernels: the per-block work of EM, scoring and k-means.
 *
 * The Java side (io.mixspark.gmm.LikelihoodKernel) checks every shape and length before a
 * call, so these functions trust their arguments. One body (kernels_body.h) is compiled once
 * per instruction set; dispatch.c picks the variant at run time from cpuid.
 */
#ifndef MIXSPARK_KERNELS_H
#define MIXSPARK_KERNELS_H

#include <stdint.h>

/* Rows the kernels load and score together; every variant processes a block in these chunks. */
#define MS_CHUNK 128

/*
 * In float arithmetic, a row's weight * responsibility below this adds to the component's count
 * (kept in double) but not to its float sums and scatters (JavaFloatLikelihoodKernel.FLOOR).
 */
#define MS_FLOAT_RESPONSIBILITY_FLOOR 1e-30

enum mixspark_covariance { MS_FULL = 0, MS_DIAG = 1, MS_SPHERICAL = 2, MS_TIED = 3 };

/* A mixture as flat arrays: precision factors are packed per component (d*d upper-triangular
 * row-major for full and tied, d for diag, 1 for spherical). */
typedef struct {
    int k;
    int d;
    int type;
    const double *means;      /* k * d */
    const double *precision;  /* k * precision_size */
    const double *log_det;    /* k: sum log diag of the precision factor */
    const double *log_weight; /* k */
} ms_model;

/* Sufficient statistics accumulated in place (lower triangle of each d x d scatter). */
typedef struct {
    double *counts;   /* k */
    double *sums;     /* k * d, about the model's means */
    double *scatters; /* k * d * d (full/tied) or k * d (diag/spherical) */
    double *totals;   /* rows, total weight, log-likelihood, sum of log max responsibility */
} ms_stats;

/* A block's rows: doubles, or floats stored as offsets from a per-column shift (x = shift + offset). */
typedef struct {
    const double *x;      /* rows x d, or NULL when the rows are floats */
    const float *offsets; /* rows x d, used when x is NULL */
    const double *shift;  /* d, used when x is NULL */
} ms_rows;

typedef struct {
    /*
     * Working memory for one call's slices of rows, for a mixture of k components of dimension d
     * and covariance type `type`; NULL when it could not be allocated. The first slice converts
     * the model's precision factors into it, and the later slices of the same call (the same model)
     * reuse them, so a scratch must not outlive one call's model: nothing records which model
     * its factors came from. Freed with scratch_free (which takes NULL).
     */
    void *(*scratch_new)(int d, int k, int type);
    void (*scratch_free)(void *scratch);
    void (*expectation)(void *scratch, const ms_rows *x, const double *w, int rows, const ms_model *m,
                        ms_stats *s);
    void (*log_joint)(void *scratch, const ms_rows *x, int rows, const ms_model *m, double *out);
    void (*nearest)(const double *x, int rows, int d, const double *centres, int k, int32_t *labels,
                    double *distances);
    /* Runs independent FMA chains; returns the floating-point operations performed. */
    double (*fma_peak)(long iterations);
} ms_kernels;

/* Double arithmetic throughout, and float arithmetic for the products (kernels_body.h). */
extern const ms_kernels ms_kernels_scalar;
extern const ms_kernels ms_kernels_avx2;
extern const ms_kernels ms_kernels_avx512;
extern const ms_kernels ms_kernels_scalar_float;
extern const ms_kernels ms_kernels_avx2_float;
extern const ms_kernels ms_kernels_avx512_float;

int ms_precision_size(int type, int d);

#endif
