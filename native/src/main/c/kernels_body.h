/*
 * The kernel body, included once per instruction set with KERNEL_SUFFIX defined; the
 * compiler's flags for that translation unit decide the vector width (VB bytes, V lanes).
 *
 * Rows are processed in chunks of CHUNK, zero-padded. Each chunk is copied once into two layouts,
 * transposed (xt, a column per feature) and row-major (xrow), and rows are centred on a component's
 * mean as they are loaded, so the subtractions run beside the multiply-adds. The full-covariance
 * work is two register-blocked matrix products, as in a GEMM micro-kernel:
 *   y = (x - mu) P   4 columns of y x 2 vectors of rows in registers, vectorised along rows,
 *                    so |y|^2 accumulates per row with no horizontal sums;
 *   S += D^T W D     RB rows of S x 2 vectors of columns in registers, vectorised along columns.
 * Each multiply-add then costs well under one load, which keeps the FMA units busy.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#if defined(__AVX512F__)
#define VB 64
#elif defined(__AVX__)
#define VB 32
#else
#define VB 16
#endif
#define V (VB / 8)
#define CHUNK MS_CHUNK
#define LOG_2PI 1.8378770664093453
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, KERNEL_SUFFIX)

typedef double FN(vec) __attribute__((vector_size(VB), aligned(VB)));
typedef long long FN(ivec) __attribute__((vector_size(VB), aligned(VB)));
#define VEC FN(vec)
#define IVEC FN(ivec)
#define LOADV(p) (*(const VEC *)(p))
#define ROUND_UP(n, m) (((n) + (m) - 1) / (m) * (m))

/* Rows of S per register block: 8 x 2 vectors fill half of AVX-512's 32 registers, 4 x 2 AVX2's 16. */
#if V == 8
#define RB 8
#else
#define RB 4
#endif

typedef struct {
    int d, dp4, dpr, dpv;
    double *xt;   /* dp4 x CHUNK: the chunk's rows, transposed once */
    double *dt;   /* dp4 x CHUNK: centred rows, transposed (diagonal and spherical log densities) */
    double *wdt;  /* dpr x CHUNK: weight * responsibility * centred rows, transposed */
    double *xrow; /* CHUNK x dpv: the chunk's rows, row-major, zero-padded to dpv columns */
    double *mup;  /* dpv: a component's mean, zero-padded */
    double *pp;   /* dp4 x dp4: the precision factor, zero-padded */
    double *logp; /* k x CHUNK: log joint, then weight * responsibility */
    double *quad; /* CHUNK */
    double *scale; /* CHUNK: a row's weight / sum of exp(logp - max) */
    double *max;   /* CHUNK: a row's largest log joint */
    double *base;
} scratch;

static int FN(scratch_alloc)(scratch *s, int d, int k) {
    s->d = d;
    s->dp4 = ROUND_UP(d, 4);
    s->dpr = ROUND_UP(d, RB);
    s->dpv = ROUND_UP(d, 2 * V);
    size_t n = 2 * (size_t)s->dp4 * CHUNK + (size_t)s->dpr * CHUNK + (size_t)CHUNK * s->dpv + s->dpv
            + (size_t)s->dp4 * s->dp4 + (size_t)k * CHUNK + 3 * CHUNK;
    size_t bytes = ROUND_UP(n * sizeof(double), 64);
    double *p = (double *)aligned_alloc(64, bytes);
    if (p == NULL) {
        return -1;
    }
    memset(p, 0, bytes);
    s->base = p;
    s->xt = p;
    s->dt = s->xt + (size_t)s->dp4 * CHUNK;
    s->wdt = s->dt + (size_t)s->dp4 * CHUNK;
    s->xrow = s->wdt + (size_t)s->dpr * CHUNK;
    s->mup = s->xrow + (size_t)CHUNK * s->dpv;
    s->pp = s->mup + s->dpv;
    s->logp = s->pp + (size_t)s->dp4 * s->dp4;
    s->quad = s->logp + (size_t)k * CHUNK;
    s->scale = s->quad + CHUNK;
    s->max = s->scale + CHUNK;
    return 0;
}

/*
 * xt[a][r] = xrow[r][a] = x[r0 + r][a]: the chunk in both layouts, copied once per chunk rather
 * than once per component. Float rows become doubles here, as shift + offset.
 */
static void FN(load_chunk)(const ms_rows *in, int r0, int n, const scratch *s) {
    int d = s->d;
    for (int r = 0; r < n; r++) {
        double *row = s->xrow + (size_t)r * s->dpv;
        if (in->x != NULL) {
            memcpy(row, in->x + (size_t)(r0 + r) * d, (size_t)d * sizeof(double));
        } else {
            const float *src = in->offsets + (size_t)(r0 + r) * d;
            for (int a = 0; a < d; a++) {
                row[a] = in->shift[a] + (double)src[a];
            }
        }
        for (int a = 0; a < d; a++) {
            s->xt[(size_t)a * CHUNK + r] = row[a];
        }
    }
}

/* dt[a][r] = x[r0 + r][a] - mu[a] for r < n, zero for the padding rows. */
static void FN(centre)(int n, const double *mu, const scratch *s) {
    for (int a = 0; a < s->d; a++) {
        double m = mu[a];
        const double *src = s->xt + (size_t)a * CHUNK;
        double *col = s->dt + (size_t)a * CHUNK;
        for (int r = 0; r < CHUNK; r += V) {
            *(VEC *)(col + r) = LOADV(src + r) - m;
        }
        for (int r = n; r < CHUNK; r++) {
            col[r] = 0.0;
        }
    }
}

/*
 * quad[r] = |(x_r - mu) P|^2 for a full (or tied) precision factor P, upper triangular. Rows are
 * centred as they are loaded from xt: the subtractions run beside the multiply-adds, and no
 * centred copy is written.
 */
static void FN(quadratic_full)(const scratch *s, const double *mu, const double *p) {
    int d = s->d;
    int dp4 = s->dp4;
    for (int a = 0; a < d; a++) {
        memcpy(s->pp + (size_t)a * dp4, p + (size_t)a * d, (size_t)d * sizeof(double));
    }
    for (int r = 0; r < CHUNK; r += 2 * V) {
        VEC q0 = {0}, q1 = {0};
        for (int j0 = 0; j0 < dp4; j0 += 4) {
            VEC a00 = {0}, a01 = {0}, a10 = {0}, a11 = {0}, a20 = {0}, a21 = {0}, a30 = {0}, a31 = {0};
            int last = j0 + 3 < d - 1 ? j0 + 3 : d - 1;
            for (int a = 0; a <= last; a++) {
                const double *col = s->xt + (size_t)a * CHUNK + r;
                const double *prow = s->pp + (size_t)a * dp4 + j0;
                VEC v0 = LOADV(col) - mu[a], v1 = LOADV(col + V) - mu[a];
                a00 += v0 * prow[0];
                a01 += v1 * prow[0];
                a10 += v0 * prow[1];
                a11 += v1 * prow[1];
                a20 += v0 * prow[2];
                a21 += v1 * prow[2];
                a30 += v0 * prow[3];
                a31 += v1 * prow[3];
            }
            q0 += a00 * a00 + a10 * a10 + a20 * a20 + a30 * a30;
            q1 += a01 * a01 + a11 * a11 + a21 * a21 + a31 * a31;
        }
        *(VEC *)(s->quad + r) = q0;
        *(VEC *)(s->quad + r + V) = q1;
    }
}

/* quad[r] for diagonal (one factor per feature) or spherical (one factor) precisions. */
static void FN(quadratic_diagonal)(const scratch *s, int n, int type, const double *p) {
    for (int r = 0; r < CHUNK; r++) {
        s->quad[r] = 0.0;
    }
    for (int a = 0; a < s->d; a++) {
        double pa = type == MS_DIAG ? p[a] : p[0];
        const double *col = s->dt + (size_t)a * CHUNK;
        for (int r = 0; r < n; r++) {
            double y = col[r] * pa;
            s->quad[r] += y * y;
        }
    }
}

/* logp[c][r] = log w_c + log N(x_r | c) for every component. */
static void FN(log_joint_chunk)(int n, const ms_model *m, const scratch *s) {
    int d = m->d;
    int ps = ms_precision_size(m->type, d);
    int full = m->type == MS_FULL || m->type == MS_TIED;
    for (int c = 0; c < m->k; c++) {
        if (full) {
            FN(quadratic_full)(s, m->means + (size_t)c * d, m->precision + (size_t)c * ps);
        } else {
            FN(centre)(n, m->means + (size_t)c * d, s);
            FN(quadratic_diagonal)(s, n, m->type, m->precision + (size_t)c * ps);
        }
        double base = m->log_weight[c] + m->log_det[c] - 0.5 * d * LOG_2PI;
        double *out = s->logp + (size_t)c * CHUNK;
        for (int r = 0; r < n; r++) {
            out[r] = base - 0.5 * s->quad[r];
        }
    }
}

static int FN(log_joint)(const ms_rows *x, int rows, const ms_model *m, double *out) {
    scratch s;
    if (FN(scratch_alloc)(&s, m->d, m->k) != 0) {
        return -1;
    }
    for (int r0 = 0; r0 < rows; r0 += CHUNK) {
        int n = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        FN(load_chunk)(x, r0, n, &s);
        FN(log_joint_chunk)(n, m, &s);
        for (int c = 0; c < m->k; c++) {
            const double *lp = s.logp + (size_t)c * CHUNK;
            for (int r = 0; r < n; r++) {
                out[(size_t)(r0 + r) * m->k + c] = lp[r];
            }
        }
    }
    free(s.base);
    return 0;
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
            double *row = s->xrow + (size_t)r * s->dpv;
            for (int a = 0; a < s->d; a++) {
                row[a] = 0.0;
                s->xt[(size_t)a * CHUNK + r] = 0.0;
            }
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

/* Adds an RB x 2V register block of the scatter to S, keeping only the lower triangle. */
static void FN(store_block)(int d, int a0, int b0, int width, VEC acc[RB][2], double *scatter) {
    for (int t = 0; t < RB && a0 + t < d; t++) {
        int a = a0 + t;
        double *out = scatter + (size_t)a * d;
        for (int l = 0; l < width; l++) {
            int b = b0 + l;
            if (b <= a) {
                out[b] += acc[t][l / V][l % V];
            }
        }
    }
}

/*
 * S[a][b] += sum_r wdt[a][r] * (x[r][b] - mu[b]) for b <= a: the lower triangle of D^T W D, with
 * the rows centred as they are loaded. Blocks on the diagonal whose second vector would lie wholly
 * above it use one vector, which at small d saves up to half the multiply-adds.
 */
static void FN(scatter_full)(int n, const scratch *s, double *scatter) {
    int d = s->d;
    int dpv = s->dpv;
    const double *xrow = s->xrow;
    for (int a0 = 0; a0 < d; a0 += RB) {
        int bmax = a0 + RB - 1 < d - 1 ? a0 + RB - 1 : d - 1;
        const double *w = s->wdt + (size_t)a0 * CHUNK;
        for (int b0 = 0; b0 <= bmax; b0 += 2 * V) {
            VEC m0 = LOADV(s->mup + b0), m1 = LOADV(s->mup + b0 + V);
            VEC acc[RB][2];
#pragma GCC unroll 8
            for (int t = 0; t < RB; t++) {
                acc[t][0] = (VEC){0};
                acc[t][1] = (VEC){0};
            }
            int width = b0 + V > bmax ? V : 2 * V;
            if (width == V) {
                for (int r = 0; r < n; r++) {
                    VEC v0 = LOADV(xrow + (size_t)r * dpv + b0) - m0;
#pragma GCC unroll 8
                    for (int t = 0; t < RB; t++) {
                        acc[t][0] += v0 * w[(size_t)t * CHUNK + r];
                    }
                }
            } else {
                for (int r = 0; r < n; r++) {
                    const double *row = xrow + (size_t)r * dpv + b0;
                    VEC v0 = LOADV(row) - m0, v1 = LOADV(row + V) - m1;
#pragma GCC unroll 8
                    for (int t = 0; t < RB; t++) {
                        double wt = w[(size_t)t * CHUNK + r];
                        acc[t][0] += v0 * wt;
                        acc[t][1] += v1 * wt;
                    }
                }
            }
            FN(store_block)(d, a0, b0, width, acc, scatter);
        }
    }
}

/* The sum of a vector's lanes, in lane order. */
static inline double FN(hsum)(VEC v) {
    double sum = 0.0;
    for (int l = 0; l < V; l++) {
        sum += v[l];
    }
    return sum;
}

/*
 * Adds one component's weighted moments over a chunk; logp holds weight * responsibility, which
 * is zero on the padding rows.
 */
static void FN(accumulate)(int n, int c, int full, const double *mu, const scratch *s, const ms_stats *st) {
    int d = s->d;
    const double *wr = s->logp + (size_t)c * CHUNK;
    double count = 0.0;
    for (int r = 0; r < n; r++) {
        count += wr[r];
    }
    if (count == 0.0) {
        return;
    }
    st->counts[c] += count;
    double *sums = st->sums + (size_t)c * d;
    double *scatter = st->scatters + (size_t)c * (full ? (size_t)d * d : (size_t)d);
    for (int a = 0; a < d; a++) {
        const double *col = s->xt + (size_t)a * CHUNK;
        double *wcol = s->wdt + (size_t)a * CHUNK;
        double m = mu[a];
        VEC lanes = {0}, squares = {0};
        for (int r = 0; r < CHUNK; r += V) {
            VEC centred = LOADV(col + r) - m;
            VEC v = LOADV(wr + r) * centred;
            *(VEC *)(wcol + r) = v;
            lanes += v;
            squares += v * centred;
        }
        sums[a] += FN(hsum)(lanes);
        if (!full) {
            scatter[a] += FN(hsum)(squares);
        }
    }
    if (full) {
        memcpy(s->mup, mu, (size_t)d * sizeof(double));
        FN(scatter_full)(n, s, scatter);
    }
}

static int FN(expectation)(const ms_rows *x, const double *w, int rows, const ms_model *m, ms_stats *st) {
    scratch s;
    if (FN(scratch_alloc)(&s, m->d, m->k) != 0) {
        return -1;
    }
    int full = m->type == MS_FULL || m->type == MS_TIED;
    for (int r0 = 0; r0 < rows; r0 += CHUNK) {
        int n = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        FN(load_chunk)(x, r0, n, &s);
        FN(log_joint_chunk)(n, m, &s);
        FN(normalise)(w, r0, n, m->k, &s, st->totals);
        for (int c = 0; c < m->k; c++) {
            FN(accumulate)(n, c, full, m->means + (size_t)c * m->d, &s, st);
        }
    }
    free(s.base);
    return 0;
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

const ms_kernels CAT(ms_kernels_, KERNEL_SUFFIX) = {FN(expectation), FN(log_joint), FN(nearest), FN(fma_peak)};
