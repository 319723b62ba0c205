/*
 * The kernel body, included once per instruction set with KERNEL_SUFFIX defined; the
 * compiler's flags for that translation unit decide the vector width.
 *
 * Rows are processed in chunks of CHUNK. Within a chunk the centred rows are stored transposed
 * (column a holds x[r][a] - mu[a] for every row r), so that y = (x - mu) P, the quadratic forms
 * and the weighted scatter D^T W D are all loops along rows: long, contiguous and vectorisable.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#define CHUNK 64
#define LOG_2PI 1.8378770664093453
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, KERNEL_SUFFIX)

typedef struct {
    double *dt;   /* d * CHUNK: centred rows, transposed */
    double *yt;   /* d * CHUNK: (x - mu) P, transposed */
    double *wdt;  /* d * CHUNK: weighted centred rows */
    double *logp; /* k * CHUNK: log joint, then responsibilities */
    double *quad; /* CHUNK */
} scratch;

static int FN(scratch_alloc)(scratch *s, int d, int k) {
    size_t n = (size_t)CHUNK * (3 * (size_t)d + (size_t)k + 1);
    double *p = (double *)malloc(n * sizeof(double));
    if (p == NULL) {
        return -1;
    }
    s->dt = p;
    s->yt = p + (size_t)d * CHUNK;
    s->wdt = p + 2 * (size_t)d * CHUNK;
    s->logp = p + 3 * (size_t)d * CHUNK;
    s->quad = p + (3 * (size_t)d + k) * CHUNK;
    return 0;
}

/* dt[a][r] = x[r0 + r][a] - mu[a] for r < n. */
static void FN(centre)(const double *x, int r0, int n, int d, const double *mu, double *dt) {
    for (int a = 0; a < d; a++) {
        double m = mu[a];
        double *col = dt + (size_t)a * CHUNK;
        const double *src = x + (size_t)r0 * d + a;
        for (int r = 0; r < n; r++) {
            col[r] = src[(size_t)r * d] - m;
        }
    }
}

/* quad[r] = |(x_r - mu) P|^2 in the shape of the covariance type; dt must hold the centred rows. */
static void FN(quadratic)(const scratch *s, int n, int d, int type, const double *p) {
    double *quad = s->quad;
    for (int r = 0; r < n; r++) {
        quad[r] = 0.0;
    }
    if (type == MS_FULL || type == MS_TIED) {
        /* y_j = sum_{a <= j} dt_a * P[a][j]; accumulate y_j^2 as soon as y_j is complete. */
        for (int j = 0; j < d; j++) {
            double *y = s->yt + (size_t)j * CHUNK;
            for (int r = 0; r < n; r++) {
                y[r] = 0.0;
            }
            for (int a = 0; a <= j; a++) {
                double pa = p[(size_t)a * d + j];
                const double *col = s->dt + (size_t)a * CHUNK;
                for (int r = 0; r < n; r++) {
                    y[r] += col[r] * pa;
                }
            }
            for (int r = 0; r < n; r++) {
                quad[r] += y[r] * y[r];
            }
        }
    } else {
        for (int a = 0; a < d; a++) {
            double pa = type == MS_DIAG ? p[a] : p[0];
            const double *col = s->dt + (size_t)a * CHUNK;
            for (int r = 0; r < n; r++) {
                double y = col[r] * pa;
                quad[r] += y * y;
            }
        }
    }
}

/* logp[c][r] = log w_c + log N(x_r | c) for every component. */
static void FN(log_joint_chunk)(const double *x, int r0, int n, const ms_model *m, const scratch *s) {
    int d = m->d;
    int ps = ms_precision_size(m->type, d);
    for (int c = 0; c < m->k; c++) {
        FN(centre)(x, r0, n, d, m->means + (size_t)c * d, s->dt);
        FN(quadratic)(s, n, d, m->type, m->precision + (size_t)c * ps);
        double base = m->log_weight[c] + m->log_det[c] - 0.5 * d * LOG_2PI;
        double *out = s->logp + (size_t)c * CHUNK;
        for (int r = 0; r < n; r++) {
            out[r] = base - 0.5 * s->quad[r];
        }
    }
}

static int FN(log_joint)(const double *x, int rows, const ms_model *m, double *out) {
    scratch s;
    if (FN(scratch_alloc)(&s, m->d, m->k) != 0) {
        return -1;
    }
    for (int r0 = 0; r0 < rows; r0 += CHUNK) {
        int n = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        FN(log_joint_chunk)(x, r0, n, m, &s);
        for (int c = 0; c < m->k; c++) {
            const double *lp = s.logp + (size_t)c * CHUNK;
            for (int r = 0; r < n; r++) {
                out[(size_t)(r0 + r) * m->k + c] = lp[r];
            }
        }
    }
    free(s.dt);
    return 0;
}

/* Turns logp into responsibilities row by row (log-sum-exp) and records the row totals. */
static void FN(normalise)(const double *w, int r0, int n, int k, const scratch *s, double *totals) {
    for (int r = 0; r < n; r++) {
        double max = -INFINITY;
        for (int c = 0; c < k; c++) {
            double v = s->logp[(size_t)c * CHUNK + r];
            max = v > max ? v : max;
        }
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
            sum += exp(s->logp[(size_t)c * CHUNK + r] - max);
        }
        double log_norm = max + log(sum);
        double weight = w == NULL ? 1.0 : w[r0 + r];
        for (int c = 0; c < k; c++) {
            double *v = s->logp + (size_t)c * CHUNK + r;
            *v = weight * exp(*v - log_norm);
        }
        totals[0] += 1.0;
        totals[1] += weight;
        totals[2] += weight * log_norm;
        totals[3] += weight * (max - log_norm);
    }
}

/* Adds the weighted moments of one component over a chunk; logp holds weight * responsibility. */
static void FN(accumulate)(int n, int d, int c, int full, const scratch *s, const ms_stats *st) {
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
    for (int a = 0; a < d; a++) {
        const double *col = s->dt + (size_t)a * CHUNK;
        double *wcol = s->wdt + (size_t)a * CHUNK;
        double sum = 0.0;
        for (int r = 0; r < n; r++) {
            wcol[r] = wr[r] * col[r];
            sum += wcol[r];
        }
        sums[a] += sum;
    }
    if (full) {
        double *scatter = st->scatters + (size_t)c * d * d;
        for (int a = 0; a < d; a++) {
            const double *wa = s->wdt + (size_t)a * CHUNK;
            for (int b = 0; b <= a; b++) {
                const double *db = s->dt + (size_t)b * CHUNK;
                double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                int r = 0;
                for (; r + 8 <= n; r += 8) {
                    for (int l = 0; l < 8; l++) {
                        lanes[l] += wa[r + l] * db[r + l];
                    }
                }
                double sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
                        + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
                for (; r < n; r++) {
                    sum += wa[r] * db[r];
                }
                scatter[(size_t)a * d + b] += sum;
            }
        }
    } else {
        double *scatter = st->scatters + (size_t)c * d;
        for (int a = 0; a < d; a++) {
            const double *wa = s->wdt + (size_t)a * CHUNK;
            const double *da = s->dt + (size_t)a * CHUNK;
            double sum = 0.0;
            for (int r = 0; r < n; r++) {
                sum += wa[r] * da[r];
            }
            scatter[a] += sum;
        }
    }
}

static int FN(expectation)(const double *x, const double *w, int rows, const ms_model *m, ms_stats *st) {
    scratch s;
    if (FN(scratch_alloc)(&s, m->d, m->k) != 0) {
        return -1;
    }
    int full = m->type == MS_FULL || m->type == MS_TIED;
    for (int r0 = 0; r0 < rows; r0 += CHUNK) {
        int n = rows - r0 < CHUNK ? rows - r0 : CHUNK;
        FN(log_joint_chunk)(x, r0, n, m, &s);
        FN(normalise)(w, r0, n, m->k, &s, st->totals);
        for (int c = 0; c < m->k; c++) {
            FN(centre)(x, r0, n, m->d, m->means + (size_t)c * m->d, s.dt);
            FN(accumulate)(n, m->d, c, full, &s, st);
        }
    }
    free(s.dt);
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

const ms_kernels CAT(ms_kernels_, KERNEL_SUFFIX) = {FN(expectation), FN(log_joint), FN(nearest)};
