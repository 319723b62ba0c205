/*
 * The kernel body, included once per instruction set and precision with KERNEL_SUFFIX defined (and
 * KERNEL_FLOAT 1 for float arithmetic); the compiler's flags for that translation unit decide the
 * vector width (VB bytes: V doubles, RV elements of the arithmetic type REAL).
 *
 * In float arithmetic the rows are centred on each component in double and then rounded to float
 * (x - mu is small next to x), and the two products below run on those floats, twice the lanes.
 * What needs double stays double: the log-determinants, the log joint, the log-sum-exp and the
 * statistics, into which each chunk's float partial sums (at most CHUNK rows) are added.
 *
 * Rows are processed in chunks of CHUNK, zero-padded. In double each chunk is copied once into two
 * layouts, transposed (xt, a column per feature) and row-major (xrow), and rows are centred on a
 * component's mean as they are loaded, so the subtractions run beside the multiply-adds. In float
 * the chunk is transposed once in double; each component's rows are centred and rounded from it
 * once, transposed, and the scatter's row-major rows are those transposed back in registers and
 * weighted, so the conversions run once per value and component. The full-covariance
 * work is two register-blocked matrix products, as in a GEMM micro-kernel:
 *   y = (x - mu) P   4 columns of y x QR vectors of rows in registers (QR = 4 with AVX-512, 2
 *                    below), vectorised along rows, so |y|^2 accumulates per row with no
 *                    horizontal sums;
 *   S += D^T W D     RB rows of S x 2 vectors of columns in registers, vectorised along columns.
 * Each multiply-add then costs well under one load, which keeps the FMA units busy.
 */
#include <math.h>
#if defined(__AVX__)
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#ifndef KERNEL_FLOAT
#define KERNEL_FLOAT 0
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, KERNEL_SUFFIX)

#if defined(__AVX512F__)
#define VB 64
#elif defined(__AVX__)
#define VB 32
#else
#define VB 16
#endif
#define V (VB / 8)
#if KERNEL_FLOAT
typedef float FN(real);
#else
typedef double FN(real);
#endif
#define REAL FN(real)
#define RV (VB / (int)sizeof(REAL))
#define CHUNK MS_CHUNK
#define LOG_2PI 1.8378770664093453

typedef double FN(vec) __attribute__((vector_size(VB), aligned(VB)));
typedef long long FN(ivec) __attribute__((vector_size(VB), aligned(VB)));
typedef REAL FN(rvec) __attribute__((vector_size(VB), aligned(VB)));
/* V elements of REAL (half an RVEC in float), and a double vector at any 8-byte boundary. */
typedef REAL FN(hvec) __attribute__((vector_size(V * sizeof(REAL)), aligned(sizeof(REAL))));
typedef double FN(uvec) __attribute__((vector_size(VB), aligned(8)));
#define VEC FN(vec)
#define IVEC FN(ivec)
#define RVEC FN(rvec)
#define HVEC FN(hvec)
#define UVEC FN(uvec)
/* V consecutive REALs from p, as doubles. */
#define WIDEN(p) __builtin_convertvector(*(const HVEC *)(p), VEC)
#define LOADV(p) (*(const VEC *)(p))
#define LOADR(p) (*(const RVEC *)(p))

/* The smallest weight * responsibility the float sums take (MS_FLOAT_RESPONSIBILITY_FLOOR). */
#define RESP_FLOOR MS_FLOAT_RESPONSIBILITY_FLOOR

/* Double arithmetic centres rows on a mean as they are loaded; float reads rows centred beforehand. */
#if KERNEL_FLOAT
#define CENTRED(v, m) (v)
#else
#define CENTRED(v, m) ((v) - (m))
#endif
#define ROUND_UP(n, m) (((n) + (m) - 1) / (m) * (m))

/*
 * Rows of S per register block: 8 x 2 vectors fill half of AVX-512's 32 registers, 4 x 2 AVX2's 16.
 * Vectors of rows per block of y = (x - mu) P (4 columns): 4 x 4 accumulators with AVX-512, 4 x 2 below.
 */
#if V == 8
#define RB 8
#define QR 4
#else
#define RB 4
#define QR 2
#endif

typedef struct {
    int d, dp4, dpr, dpv;
    REAL *xt;        /* dp4 x CHUNK: the chunk's rows, transposed (float: centred on one component) */
    REAL *dt;        /* dp4 x CHUNK: centred rows, transposed (diagonal and spherical log densities) */
    REAL *wdt;       /* dpr x CHUNK: weight * responsibility * centred rows, transposed */
    REAL *xrow;      /* CHUNK x dpv: the chunk's rows, row-major, zero-padded (float: centred) */
    REAL *mup;       /* dpv: a component's mean, zero-padded (zero in float) */
    REAL *pp;        /* k x dp4 x dp4: the precision factors, zero-padded, converted once per call */
    REAL *quad;      /* CHUNK */
    REAL *resp;      /* CHUNK: one component's weight * responsibility (float only) */
    REAL *xtc;       /* k x dpv x CHUNK: the rows centred on each component, transposed (float only) */
    double *src_t;   /* dp4 x CHUNK: the rows as loaded, transposed (in double, xt itself) */
    double *src_row; /* CHUNK x dpv: the rows as loaded, row-major (in double, xrow itself; none in float) */
    double *logp;    /* k x CHUNK: log joint, then weight * responsibility */
    double *scale;   /* CHUNK: a row's weight / sum of exp(logp - max) */
    double *max;     /* CHUNK: a row's largest log joint */
    int factors_ready; /* pp holds the call's precision factors */
    void *base;
} FN(scratch);
#define scratch FN(scratch)

/* Takes the next piece of `bytes` from *p, keeping every piece 64-byte aligned. */
static void *FN(carve)(char **p, size_t bytes) {
    void *out = *p;
    *p += ROUND_UP(bytes, 64);
    return out;
}

static int FN(scratch_alloc)(scratch *s, int d, int k, int full) {
    s->d = d;
    s->dp4 = ROUND_UP(d, 4);
    s->dpr = ROUND_UP(d, RB);
    s->dpv = ROUND_UP(d, 2 * RV);
    size_t rs = sizeof(REAL), ds = sizeof(double);
    size_t transposed = (size_t)s->dp4 * CHUNK, rowwise = (size_t)CHUNK * s->dpv;
    size_t sizes[] = {transposed * rs, transposed * rs, (size_t)s->dpr * CHUNK * rs, rowwise * rs, s->dpv * rs,
                      full ? (size_t)k * s->dp4 * s->dp4 * rs : 0, CHUNK * rs, CHUNK * rs,
                      KERNEL_FLOAT ? transposed * ds : 0, 0 /* unused */,
                      KERNEL_FLOAT ? (size_t)k * s->dpv * CHUNK * rs : 0,
                      (size_t)k * CHUNK * ds, CHUNK * ds, CHUNK * ds};
    size_t bytes = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        bytes += ROUND_UP(sizes[i], 64);
    }
    char *p = (char *)aligned_alloc(64, bytes);
    if (p == NULL) {
        return -1;
    }
    memset(p, 0, bytes);
    s->base = p;
    s->xt = FN(carve)(&p, sizes[0]);
    s->dt = FN(carve)(&p, sizes[1]);
    s->wdt = FN(carve)(&p, sizes[2]);
    s->xrow = FN(carve)(&p, sizes[3]);
    s->mup = FN(carve)(&p, sizes[4]);
    s->pp = FN(carve)(&p, sizes[5]);
    s->quad = FN(carve)(&p, sizes[6]);
    s->resp = FN(carve)(&p, sizes[7]);
#if KERNEL_FLOAT
    s->src_t = FN(carve)(&p, sizes[8]);
    s->src_row = NULL;
#else
    s->src_t = s->xt;
    s->src_row = s->xrow;
#endif
    s->xtc = FN(carve)(&p, sizes[10]);
    s->logp = FN(carve)(&p, sizes[11]);
    s->scale = FN(carve)(&p, sizes[12]);
    s->max = FN(carve)(&p, sizes[13]);
    s->factors_ready = 0;
    return 0;
}

/*
 * The scratch of one JNI call, shared by its slices (each pins its arrays anew, but the
 * allocation, the zeroing and the conversion of the factors happen once): NULL when memory is
 * short. Chunks see the same scratch as they would in one call over all the rows.
 */
static void *FN(scratch_new)(int d, int k, int type) {
    scratch *s = (scratch *)malloc(sizeof(scratch));
    if (s == NULL) {
        return NULL;
    }
    if (FN(scratch_alloc)(s, d, k, type == MS_FULL || type == MS_TIED) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void FN(scratch_free)(void *p) {
    scratch *s = (scratch *)p;
    if (s != NULL) {
        free(s->base);
        free(s);
    }
}

#if !KERNEL_FLOAT
/*
 * src_t[a][r] = src_row[r][a] = x[r0 + r][a]: the chunk in both layouts, copied once per chunk
 * rather than once per component. Float rows become doubles here, as shift + offset.
 */
static void FN(load_chunk)(const ms_rows *in, int r0, int n, const scratch *s) {
    int d = s->d;
    for (int r = 0; r < n; r++) {
        double *row = s->src_row + (size_t)r * s->dpv;
        if (in->x != NULL) {
            memcpy(row, in->x + (size_t)(r0 + r) * d, (size_t)d * sizeof(double));
        } else {
            const float *src = in->offsets + (size_t)(r0 + r) * d;
            for (int a = 0; a < d; a++) {
                row[a] = in->shift[a] + (double)src[a];
            }
        }
    }
    /* In 8 x 8 tiles, so that each tile's reads and writes stay in a few cache lines. The rows
     * from n to the next multiple of 8 are in the buffer (zero, or an earlier chunk's finite rows),
     * and their transposes land in padding rows that carry zero responsibility. */
    int nb = ROUND_UP(n, 8);
    for (int a0 = 0; a0 < d; a0 += 8) {
        int a1 = a0 + 8 < d ? a0 + 8 : d;
        for (int r0 = 0; r0 < nb; r0 += 8) {
            for (int a = a0; a < a1; a++) {
                double *restrict col = s->src_t + (size_t)a * CHUNK + r0;
                const double *restrict src = s->src_row + (size_t)r0 * s->dpv + a;
#pragma GCC unroll 8
                for (int r = 0; r < 8; r++) {
                    col[r] = src[(size_t)r * s->dpv];
                }
            }
        }
    }
}
#else
/* Lane masks of one transpose stage: swaps bit h of the vector's index with bit h of the lane's. */
#define T_LO(l, h) (((l) & (h)) ? RV + (l) - (h) : (l))
#define T_HI(l, h) (((l) & (h)) ? RV + (l) : (l) + (h))
#if VB == 64
#define T_LANES(F, h) {F(0, h), F(1, h), F(2, h), F(3, h), F(4, h), F(5, h), F(6, h), F(7, h), \
                       F(8, h), F(9, h), F(10, h), F(11, h), F(12, h), F(13, h), F(14, h), F(15, h)}
#elif VB == 32
#define T_LANES(F, h) {F(0, h), F(1, h), F(2, h), F(3, h), F(4, h), F(5, h), F(6, h), F(7, h)}
#else
#define T_LANES(F, h) {F(0, h), F(1, h), F(2, h), F(3, h)}
#endif
typedef int32_t FN(mvec) __attribute__((vector_size(VB)));
#define T_STAGE(x, h)                                                         \
    do {                                                                      \
        const FN(mvec) lo = T_LANES(T_LO, h), hi = T_LANES(T_HI, h);          \
        for (int i = 0; i < RV; i++) {                                        \
            if (!(i & (h))) {                                                 \
                RVEC p = x[i], q = x[i + (h)];                                \
                x[i] = __builtin_shuffle(p, q, lo);                           \
                x[i + (h)] = __builtin_shuffle(p, q, hi);                     \
            }                                                                 \
        }                                                                     \
    } while (0)

/* Transposes an RV x RV tile held in RV vectors, in log2(RV) stages of two-vector shuffles. */
static inline void FN(transpose)(RVEC x[RV]) {
#if VB == 64
    T_STAGE(x, 8);
#endif
#if VB >= 32
    T_STAGE(x, 4);
#endif
    T_STAGE(x, 2);
    T_STAGE(x, 1);
}

/*
 * The RV x RV tile at p (rows `stride` apart, any alignment), transposed into x. With AVX2 and
 * AVX-512 the first stage (exchanging half vectors) happens in the loads, which insert the half
 * of one row beside the half of another, so it takes no shuffles.
 */
static inline void FN(load_transposed)(RVEC x[RV], const REAL *p, size_t stride) {
#if VB == 64
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        const REAL *a = p + (size_t)i * stride, *b = p + (size_t)(i + 8) * stride;
        x[i] = (RVEC)_mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(a)), _mm256_loadu_ps(b), 1);
        x[i + 8] = (RVEC)_mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(a + 8)),
                                            _mm256_loadu_ps(b + 8), 1);
    }
    T_STAGE(x, 4);
    T_STAGE(x, 2);
    T_STAGE(x, 1);
#elif VB == 32
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        const REAL *a = p + (size_t)i * stride, *b = p + (size_t)(i + 4) * stride;
        x[i] = (RVEC)_mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(a)), _mm_loadu_ps(b), 1);
        x[i + 4] = (RVEC)_mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(a + 4)), _mm_loadu_ps(b + 4), 1);
    }
    T_STAGE(x, 2);
    T_STAGE(x, 1);
#else
    typedef REAL FN(uload) __attribute__((vector_size(VB), aligned(sizeof(REAL))));
    for (int i = 0; i < RV; i++) {
        x[i] = *(const FN(uload) *)(p + (size_t)i * stride);
    }
    FN(transpose)(x);
#endif
}

/*
 * src_t[a][r] = x[r0 + r][a] in double (float rows as shift + offset), transposed straight from
 * the block: float rows in RV x RV tiles in registers, the rest one value at a time; rows n and up
 * are zero. No row-major copy is made: the scatter's row-major rows are each component's centred
 * transposed rows, transposed back (weighted_rows).
 */
static void FN(load_chunk)(const ms_rows *in, int r0, int n, const scratch *s) {
    int d = s->d;
    int tiled_rows = in->x == NULL ? n / RV * RV : 0;
    int tiled_cols = d / RV * RV;
    for (int a0 = 0; a0 < tiled_cols; a0 += RV) {
        for (int t0 = 0; t0 < tiled_rows; t0 += RV) {
            RVEC t[RV];
            REAL lanes[RV * RV] __attribute__((aligned(VB)));
            FN(load_transposed)(t, in->offsets + (size_t)(r0 + t0) * d + a0, (size_t)d);
#pragma GCC unroll 16
            for (int i = 0; i < RV; i++) {
                *(RVEC *)(lanes + i * RV) = t[i];
            }
            for (int i = 0; i < RV; i++) {
                double *restrict col = s->src_t + (size_t)(a0 + i) * CHUNK + t0;
                double shift = in->shift[a0 + i];
#pragma GCC unroll 2
                for (int h = 0; h < RV; h += V) {
                    *(VEC *)(col + h) = shift + WIDEN(lanes + i * RV + h);
                }
            }
        }
    }
    for (int a0 = 0; a0 < d; a0 += 8) {
        int a1 = a0 + 8 < d ? a0 + 8 : d;
        for (int t0 = 0; t0 < n; t0 += 8) {
            int rows = n - t0 < 8 ? n - t0 : 8;
            for (int a = a0; a < a1; a++) {
                if (a < tiled_cols && t0 + rows <= tiled_rows) {
                    continue;
                }
                double *restrict col = s->src_t + (size_t)a * CHUNK + t0;
                if (in->x != NULL) {
                    const double *restrict src = in->x + (size_t)(r0 + t0) * d + a;
#pragma GCC unroll 8
                    for (int r = 0; r < rows; r++) {
                        col[r] = src[(size_t)r * d];
                    }
                } else {
                    const float *restrict src = in->offsets + (size_t)(r0 + t0) * d + a;
                    double shift = in->shift[a];
#pragma GCC unroll 8
                    for (int r = 0; r < rows; r++) {
                        col[r] = shift + (double)src[(size_t)r * d];
                    }
                }
            }
        }
    }
    for (int a = 0; n < CHUNK && a < d; a++) {
        memset(s->src_t + (size_t)a * CHUNK + n, 0, (size_t)(CHUNK - n) * sizeof(double));
    }
}

/*
 * The chunk's rows minus mu in double, rounded to float, so that the rounding is relative to
 * x - mu rather than to x, transposed into xt.
 */
static void FN(centre_rounded)(const double *restrict mu, const scratch *s) {
    int d = s->d;
    for (int a = 0; a < d; a++) {
        const double *restrict src = s->src_t + (size_t)a * CHUNK;
        REAL *restrict dst = s->xt + (size_t)a * CHUNK;
        double m = mu[a];
        for (int r = 0; r < CHUNK; r++) {
            dst[r] = (REAL)(src[r] - m);
        }
    }
}

/*
 * xrow[r] = resp[r] * (x[r0 + r] - mu), row-major: the component's centred rows xt (rounded as
 * centre_rounded left them, zero on bad rows) transposed in RV x RV tiles in registers and weighted
 * in float, with no second centring. Adds the chunk's weighted sums (in float over its rows, then in
 * double) to sums. Rows from n to the tile's end carry zero responsibility.
 */
static void FN(weighted_rows)(int n, const scratch *s, double *restrict sums) {
    int d = s->d;
    for (int a0 = 0; a0 < d; a0 += RV) {
        RVEC total = {0};
        for (int r0 = 0; r0 < n; r0 += RV) {
            RVEC t[RV];
            FN(load_transposed)(t, s->xt + (size_t)a0 * CHUNK + r0, CHUNK);
#pragma GCC unroll 16
            for (int i = 0; i < RV; i++) {
                RVEC v = t[i] * s->resp[r0 + i];
                *(RVEC *)(s->xrow + (size_t)(r0 + i) * s->dpv + a0) = v;
                total += v;
            }
        }
        for (int l = 0; l < RV && a0 + l < d; l++) {
            sums[a0 + l] += (double)total[l];
        }
    }
}
#endif

/* dt[a][r] = x[r0 + r][a] - mu[a] for r < n, zero for the padding rows. */
static void FN(centre)(int n, const double *mu, const scratch *s) {
    for (int a = 0; a < s->d; a++) {
        const REAL *src = s->xt + (size_t)a * CHUNK;
        REAL *col = s->dt + (size_t)a * CHUNK;
        for (int r = 0; r < CHUNK; r += RV) {
            *(RVEC *)(col + r) = CENTRED(LOADR(src + r), mu[a]);
        }
        for (int r = n; r < CHUNK; r++) {
            col[r] = 0;
        }
    }
    (void)mu;
}

/*
 * quad[r] = |(x_r - mu) P|^2 for a full (or tied) precision factor P, upper triangular. In double
 * the rows are centred as they are loaded from xt: the subtractions run beside the multiply-adds,
 * and no centred copy is written.
 */
static void FN(quadratic_full)(const scratch *s, const double *mu, const REAL *pp) {
    int d = s->d;
    int dp4 = s->dp4;
    for (int r = 0; r < CHUNK; r += QR * RV) {
        RVEC q[QR];
#pragma GCC unroll 4
        for (int v = 0; v < QR; v++) {
            q[v] = (RVEC){0};
        }
        for (int j0 = 0; j0 < dp4; j0 += 4) {
            RVEC acc[4][QR];
#pragma GCC unroll 4
            for (int j = 0; j < 4; j++) {
#pragma GCC unroll 4
                for (int v = 0; v < QR; v++) {
                    acc[j][v] = (RVEC){0};
                }
            }
            int last = j0 + 3 < d - 1 ? j0 + 3 : d - 1;
            for (int a = 0; a <= last; a++) {
                const REAL *col = s->xt + (size_t)a * CHUNK + r;
                const REAL *prow = pp + (size_t)a * dp4 + j0;
                RVEC x[QR];
#pragma GCC unroll 4
                for (int v = 0; v < QR; v++) {
                    x[v] = CENTRED(LOADR(col + v * RV), mu[a]);
                }
#pragma GCC unroll 4
                for (int j = 0; j < 4; j++) {
                    REAL pj = prow[j];
#pragma GCC unroll 4
                    for (int v = 0; v < QR; v++) {
                        acc[j][v] += x[v] * pj;
                    }
                }
            }
#pragma GCC unroll 4
            for (int v = 0; v < QR; v++) {
                q[v] += acc[0][v] * acc[0][v] + acc[1][v] * acc[1][v] + acc[2][v] * acc[2][v] + acc[3][v] * acc[3][v];
            }
        }
#pragma GCC unroll 4
        for (int v = 0; v < QR; v++) {
            *(RVEC *)(s->quad + r + v * RV) = q[v];
        }
    }
    (void)mu;
}

/* quad[r] for diagonal (one factor per feature) or spherical (one factor) precisions. */
static void FN(quadratic_diagonal)(const scratch *s, int n, int type, const double *p) {
    for (int r = 0; r < CHUNK; r++) {
        s->quad[r] = 0;
    }
    for (int a = 0; a < s->d; a++) {
        REAL pa = (REAL)(type == MS_DIAG ? p[a] : p[0]);
        const REAL *col = s->dt + (size_t)a * CHUNK;
        for (int r = 0; r < n; r++) {
            REAL y = col[r] * pa;
            s->quad[r] += y * y;
        }
    }
}

/* pp[c] = the precision factor of component c in REAL, zero-padded to dp4 x dp4: once per scratch. */
static void FN(load_factors)(const ms_model *m, scratch *s) {
    int d = m->d;
    if (s->factors_ready || (m->type != MS_FULL && m->type != MS_TIED)) {
        return;
    }
    s->factors_ready = 1;
    for (int c = 0; c < m->k; c++) {
        const double *p = m->precision + (size_t)c * d * d;
        REAL *pp = s->pp + (size_t)c * s->dp4 * s->dp4;
        for (int a = 0; a < d; a++) {
            for (int j = 0; j < d; j++) {
                pp[(size_t)a * s->dp4 + j] = (REAL)p[(size_t)a * d + j];
            }
        }
    }
}

/* logp[c][r] = log w_c + log N(x_r | c) for every component. */
static void FN(log_joint_chunk)(int n, const ms_model *m, const scratch *s) {
    int d = m->d;
    int ps = ms_precision_size(m->type, d);
    int full = m->type == MS_FULL || m->type == MS_TIED;
    scratch own = *s;
    for (int c = 0; c < m->k; c++) {
        const double *mu = m->means + (size_t)c * d;
#if KERNEL_FLOAT
        /* Each component's centred rows are kept for accumulate. */
        own.xt = s->xtc + (size_t)c * s->dpv * CHUNK;
        FN(centre_rounded)(mu, &own);
#endif
        if (full) {
            FN(quadratic_full)(&own, mu, s->pp + (size_t)c * s->dp4 * s->dp4);
        } else {
            FN(centre)(n, mu, &own);
            FN(quadratic_diagonal)(&own, n, m->type, m->precision + (size_t)c * ps);
        }
        double base = m->log_weight[c] + m->log_det[c] - 0.5 * d * LOG_2PI;
        double *out = s->logp + (size_t)c * CHUNK;
        for (int r = 0; r < n; r++) {
            out[r] = base - 0.5 * (double)s->quad[r];
        }
    }
}

static void FN(log_joint)(void *scratch_, const ms_rows *x, int rows, const ms_model *m, double *out) {
    scratch *s = (scratch *)scratch_;
    FN(load_factors)(m, s);
    for (int r0 = 0; r0 < rows; r0 += CHUNK) {
        int n = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        FN(load_chunk)(x, r0, n, s);
        FN(log_joint_chunk)(n, m, s);
        for (int c = 0; c < m->k; c++) {
            const double *lp = s->logp + (size_t)c * CHUNK;
            for (int r = 0; r < n; r++) {
                out[(size_t)(r0 + r) * m->k + c] = lp[r];
            }
        }
    }
}

/*
 * exp for a vector: k = round(x / ln 2), r = x - k ln 2 in two parts (Cody-Waite), the degree-13
 * Taylor polynomial on |r| <= ln(2)/2 (truncation below 1e-17), scaled by 2^k in two halves so
 * that results down to the subnormals and the overflow to infinity come out right. Within 2 ulp
 * of libm; NaN stays NaN.
 */
static inline VEC FN(vexp)(VEC x) {
    const VEC lo = (VEC){0} - 1000.0, hi = (VEC){0} + 1000.0, shift = (VEC){0} + 0x1.8p52;
    IVEC below = x < lo, above = x > hi;
    x = (VEC)(((IVEC)x & ~below) | ((IVEC)lo & below));
    x = (VEC)(((IVEC)x & ~above) | ((IVEC)hi & above));
    VEC t = x * 1.4426950408889634 + shift;
    VEC kd = t - shift;
    IVEC k = (IVEC)t - (IVEC)shift;
    VEC r = x - kd * 6.93147180369123816490e-01;
    r = r - kd * 1.90821492927058770002e-10;
    VEC p = (VEC){0} + 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    IVEC k1 = k >> 1, k2 = k - k1;
    return p * (VEC)((k1 + 1023) << 52) * (VEC)((k2 + 1023) << 52);
}

/*
 * Turns logp into weight * responsibility (log-sum-exp) and records the row totals. Vectorised
 * along rows: one exp per row and component, one log per row. As in the Java kernel, a row of
 * weight 0 or with no defined responsibilities (a NaN or infinite value) adds to the totals only,
 * and a responsibility that is not > 0 adds nothing; such rows are zeroed in the chunk so that
 * their values cannot reach the moments as 0 * inf.
 */
static void FN(normalise)(const double *w, int r0, int n, int k, const scratch *s, double *totals) {
    for (int r = 0; r < CHUNK; r += V) {
        VEC max = LOADV(s->logp + r);
        for (int c = 1; c < k; c++) {
            VEC v = LOADV(s->logp + (size_t)c * CHUNK + r);
            IVEC larger = v > max;
            max = (VEC)(((IVEC)v & larger) | ((IVEC)max & ~larger));
        }
        VEC sum = {0};
        for (int c = 0; c < k; c++) {
            VEC *v = (VEC *)(s->logp + (size_t)c * CHUNK + r);
            *v = FN(vexp)(*v - max);
            sum += *v;
        }
        *(VEC *)(s->max + r) = max;
        *(VEC *)(s->scale + r) = sum;
    }
    for (int r = 0; r < CHUNK; r++) {
        if (r >= n) {
            s->scale[r] = 0.0;
            continue;
        }
        double log_norm = s->max[r] + log(s->scale[r]);
        double weight = w == NULL ? 1.0 : w[r0 + r];
        totals[0] += 1.0;
        totals[1] += weight;
        totals[2] += weight * log_norm;
        totals[3] += weight * (s->max[r] - log_norm);
        if (weight == 0.0 || isnan(log_norm)) {
            s->scale[r] = 0.0;
#if !KERNEL_FLOAT
            double *row = s->src_row + (size_t)r * s->dpv;
            for (int a = 0; a < s->d; a++) {
                row[a] = 0.0;
                s->src_t[(size_t)a * CHUNK + r] = 0.0;
            }
#else
            /* The components' centred copies were made before this row was found bad (the
             * row-major copies are made from them afterwards). */
            for (int c = 0; c < k; c++) {
                REAL *xc = s->xtc + (size_t)c * s->dpv * CHUNK;
                for (int a = 0; a < s->d; a++) {
                    xc[(size_t)a * CHUNK + r] = 0;
                }
            }
#endif
        } else {
            s->scale[r] = weight / s->scale[r];
        }
    }
    for (int c = 0; c < k; c++) {
        double *lp = s->logp + (size_t)c * CHUNK;
        for (int r = 0; r < CHUNK; r += V) {
            VEC e = LOADV(lp + r);
            IVEC positive = e > 0.0;
            *(VEC *)(lp + r) = (VEC)((IVEC)(e * LOADV(s->scale + r)) & positive);
        }
        for (int r = n; r < CHUNK; r++) {
            lp[r] = 0.0;
        }
    }
}

/*
 * Adds an RB x 2RV register block of the scatter to S, keeping only the lower triangle: each row
 * goes through a small buffer so that the adds (and, in float, the conversions) run in vectors.
 */
static void FN(store_block)(int d, int a0, int b0, int width, RVEC acc[RB][2], double *scatter) {
    REAL lanes[2 * RV] __attribute__((aligned(VB)));
    for (int t = 0; t < RB && a0 + t < d; t++) {
        int a = a0 + t;
        int count = a - b0 + 1 < width ? a - b0 + 1 : width;
        *(RVEC *)lanes = acc[t][0];
        *(RVEC *)(lanes + RV) = acc[t][1];
        double *out = scatter + (size_t)a * d + b0;
        int l = 0;
        for (; l + V <= count; l += V) {
            *(UVEC *)(out + l) += WIDEN(lanes + l);
        }
        for (; l < count; l++) {
            out[l] += (double)lanes[l];
        }
    }
}

/*
 * S[a][b] += sum_r wdt[a][r] * (x[r][b] - mu[b]) for b <= a: the lower triangle of D^T W D, with
 * the rows centred as they are loaded. In float the weights ride on the row-major rows instead
 * (xrow = W D, centred and weighted by weighted_rows) and the broadcasts come from the centred
 * transposed rows xt, so no weighted transposed copy is made. Blocks on the diagonal
 * whose second vector would lie wholly above it use one vector, which at small d saves up to half
 * the multiply-adds. In float, each block's sums span one chunk before they reach the doubles.
 */
static void FN(scatter_full)(int n, const scratch *s, double *scatter) {
    int d = s->d;
    int dpv = s->dpv;
    const REAL *xrow = s->xrow;
    for (int a0 = 0; a0 < d; a0 += RB) {
        int bmax = a0 + RB - 1 < d - 1 ? a0 + RB - 1 : d - 1;
        const REAL *w = (KERNEL_FLOAT ? s->xt : s->wdt) + (size_t)a0 * CHUNK;
        for (int b0 = 0; b0 <= bmax; b0 += 2 * RV) {
            RVEC m0 = LOADR(s->mup + b0), m1 = LOADR(s->mup + b0 + RV);
            (void)m0;
            (void)m1;
            RVEC acc[RB][2];
#pragma GCC unroll 8
            for (int t = 0; t < RB; t++) {
                acc[t][0] = (RVEC){0};
                acc[t][1] = (RVEC){0};
            }
            int width = b0 + RV > bmax ? RV : 2 * RV;
            if (width == RV) {
                for (int r = 0; r < n; r++) {
                    RVEC v0 = CENTRED(LOADR(xrow + (size_t)r * dpv + b0), m0);
#pragma GCC unroll 8
                    for (int t = 0; t < RB; t++) {
                        acc[t][0] += v0 * w[(size_t)t * CHUNK + r];
                    }
                }
            } else {
                for (int r = 0; r < n; r++) {
                    const REAL *row = xrow + (size_t)r * dpv + b0;
                    RVEC v0 = CENTRED(LOADR(row), m0), v1 = CENTRED(LOADR(row + RV), m1);
#pragma GCC unroll 8
                    for (int t = 0; t < RB; t++) {
                        REAL wt = w[(size_t)t * CHUNK + r];
                        acc[t][0] += v0 * wt;
                        acc[t][1] += v1 * wt;
                    }
                }
            }
            FN(store_block)(d, a0, b0, width, acc, scatter);
        }
    }
}

/* The sum of a vector's lanes in double: widened V at a time, then four interleaved partial sums. */
static inline double FN(hsum)(RVEC v) {
    REAL lanes[RV] __attribute__((aligned(VB)));
    *(RVEC *)lanes = v;
    VEC wide = WIDEN(lanes);
    for (int l = V; l < RV; l += V) {
        wide += WIDEN(lanes + l);
    }
    double part[4] = {0.0, 0.0, 0.0, 0.0};
    for (int l = 0; l < V; l++) {
        part[l % 4] += wide[l];
    }
    return (part[0] + part[1]) + (part[2] + part[3]);
}

/*
 * Adds one component's weighted moments over a chunk; logp holds weight * responsibility, which
 * is zero on the padding rows. The count is summed in double; the sums and scatters in REAL over
 * the chunk, then added to the double statistics.
 */
static void FN(accumulate)(int n, int c, int full, const double *mu, const scratch *s, const ms_stats *st) {
    int d = s->d;
    const double *wr = s->logp + (size_t)c * CHUNK;
    /* In V lanes (the padding rows are zero): a single running sum would chain CHUNK dependent adds. */
    VEC lanes = {0};
    for (int r = 0; r < CHUNK; r += V) {
        lanes += LOADV(wr + r);
    }
    double count = 0.0;
    for (int l = 0; l < V; l++) {
        count += lanes[l];
    }
    (void)n;
    if (count == 0.0) {
        return;
    }
    st->counts[c] += count;
#if KERNEL_FLOAT
    (void)mu; /* float rows come centred */
    scratch own = *s;
    own.xt = s->xtc + (size_t)c * s->dpv * CHUNK;
    s = &own;
    /* Responsibilities below RESP_FLOOR add nothing to the float sums: as subnormal floats they
     * would slow every multiply-add they enter several times over, for terms below float's reach. */
    for (int r = 0; r < CHUNK; r++) {
        s->resp[r] = wr[r] < RESP_FLOOR ? 0.0f : (REAL)wr[r];
    }
    if (full) {
        FN(weighted_rows)(n, s, st->sums + (size_t)c * d);
        FN(scatter_full)(n, s, st->scatters + (size_t)c * d * d);
        return;
    }
    const REAL *wrr = s->resp;
#else
    const REAL *wrr = wr;
#endif
    double *sums = st->sums + (size_t)c * d;
    double *scatter = st->scatters + (size_t)c * (full ? (size_t)d * d : (size_t)d);
    /* Two vectors of partial sums per feature halve the chain of dependent adds along the chunk. */
    for (int a = 0; a < d; a++) {
        const REAL *col = s->xt + (size_t)a * CHUNK;
        REAL *wcol = s->wdt + (size_t)a * CHUNK;
        RVEC lanes0 = {0}, lanes1 = {0}, squares0 = {0}, squares1 = {0};
        for (int r = 0; r < CHUNK; r += 2 * RV) {
            RVEC centred0 = CENTRED(LOADR(col + r), mu[a]), centred1 = CENTRED(LOADR(col + r + RV), mu[a]);
            RVEC v0 = LOADR(wrr + r) * centred0, v1 = LOADR(wrr + r + RV) * centred1;
            *(RVEC *)(wcol + r) = v0;
            *(RVEC *)(wcol + r + RV) = v1;
            lanes0 += v0;
            lanes1 += v1;
            if (!full) {
                squares0 += v0 * centred0;
                squares1 += v1 * centred1;
            }
        }
        sums[a] += FN(hsum)(lanes0 + lanes1);
        if (!full) {
            scatter[a] += FN(hsum)(squares0 + squares1);
        }
    }
    if (full) {
#if !KERNEL_FLOAT
        memcpy(s->mup, mu, (size_t)d * sizeof(double));
#endif
        FN(scatter_full)(n, s, scatter);
    }
}

static void FN(expectation)(void *scratch_, const ms_rows *x, const double *w, int rows, const ms_model *m,
                            ms_stats *st) {
    scratch *s = (scratch *)scratch_;
    FN(load_factors)(m, s);
    int full = m->type == MS_FULL || m->type == MS_TIED;
    for (int r0 = 0; r0 < rows; r0 += CHUNK) {
        int n = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        FN(load_chunk)(x, r0, n, s);
        FN(log_joint_chunk)(n, m, s);
        FN(normalise)(w, r0, n, m->k, s, st->totals);
        for (int c = 0; c < m->k; c++) {
            FN(accumulate)(n, c, full, m->means + (size_t)c * m->d, s, st);
        }
    }
}

static void FN(nearest)(const double *x, int rows, int d, const double *centres, int k, int32_t *labels,
                        double *distances) {
    for (int i = 0; i < rows; i++) {
        const double *row = x + (size_t)i * d;
        int best = 0;
        double best_distance = INFINITY;
        for (int c = 0; c < k; c++) {
            const double *centre = centres + (size_t)c * d;
            double dist = 0.0;
            for (int a = 0; a < d; a++) {
                double diff = row[a] - centre[a];
                dist += diff * diff;
            }
            if (dist < best_distance) {
                best_distance = dist;
                best = c;
            }
        }
        labels[i] = best;
        distances[i] = best_distance;
    }
}

#define PEAK_CHAINS 12

volatile double FN(peak_sink);

/* Independent FMA chains at this instruction set's vector width: the machine's FP64 peak. */
static double FN(fma_peak)(long iterations) {
    VEC acc[PEAK_CHAINS];
    VEC a = {0}, b = {0};
    a += 0.999999;
    b += 1e-7;
    for (int j = 0; j < PEAK_CHAINS; j++) {
        acc[j] = (VEC){0} + (double)j;
    }
    for (long i = 0; i < iterations; i++) {
        for (int j = 0; j < PEAK_CHAINS; j++) {
            acc[j] = acc[j] * a + b;
        }
    }
    double sum = 0;
    for (int j = 0; j < PEAK_CHAINS; j++) {
        for (int l = 0; l < V; l++) {
            sum += acc[j][l];
        }
    }
    FN(peak_sink) = sum;
    return 2.0 * PEAK_CHAINS * V * (double)iterations;
}

const ms_kernels CAT(ms_kernels_, KERNEL_SUFFIX) = {FN(scratch_new), FN(scratch_free), FN(expectation),
                                                    FN(log_joint), FN(nearest), FN(fma_peak)};

/* The body is included again for the next variant. */
#undef VB
#undef V
#undef RV
#undef REAL
#undef VEC
#undef IVEC
#undef RVEC
#undef HVEC
#undef UVEC
#undef WIDEN
#undef LOADV
#undef LOADR
#undef CENTRED
#undef CHUNK
#undef LOG_2PI
#undef ROUND_UP
#undef RB
#undef QR
#undef PEAK_CHAINS
#undef RESP_FLOOR
#undef T_STAGE
#undef T_LANES
#undef T_HI
#undef T_LO
#undef scratch
#undef CAT_
#undef CAT
#undef FN
#undef KERNEL_SUFFIX
#undef KERNEL_FLOAT
