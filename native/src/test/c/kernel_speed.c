/*
 * Float against double arithmetic of the native E-step, alternated many times, best of N kept
 * (on a loaded machine the best run is the comparable one). How to run, from native/src/main/c:
 *   make -f ../../test/c/kernel_speed.mk OBJ=/tmp/ks && /tmp/ks/kernel_speed [rounds [rows [d]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kernels.h"

/* As in dispatch.c, which needs JNI and is not linked here. */
int ms_precision_size(int type, int d) {
    return type == MS_FULL || type == MS_TIED ? d * d : type == MS_DIAG ? d : 1;
}

/* This thread's CPU time: time spent preempted on a loaded machine does not count. */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double uniform(void) { return rand() / (RAND_MAX + 1.0); }

/* Seconds for one E-step over the rows, best of `rounds` runs. */
static double best_time(const ms_kernels *kern, const ms_rows *rows, int n, const ms_model *m, ms_stats *st,
                        double best) {
    /* The scratch is made and freed inside the timed region, as each JNI call does. */
    double t0 = now();
    void *scratch = kern->scratch_new(m->d, m->k, m->type);
    if (scratch == NULL) {
        fprintf(stderr, "kernel_speed: no memory for the scratch\n");
        exit(1);
    }
    kern->expectation(scratch, rows, NULL, n, m, st);
    kern->scratch_free(scratch);
    double t = now() - t0;
    return t < best ? t : best;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 30;
    int ds[] = {16, 32, 64, 0};
    int nd = argc > 3 ? 1 : 3;
    if (argc > 3) {
        ds[0] = atoi(argv[3]);
    }
    int k = 8;
    const ms_kernels *dbl[] = {&ms_kernels_avx2, &ms_kernels_avx512};
    const ms_kernels *flt[] = {&ms_kernels_avx2_float, &ms_kernels_avx512_float};
    const char *isa[] = {"avx2", "avx512"};
    double peak[2] = {0, 0};
    for (int i = 0; i < 10; i++) {
        for (int v = 0; v < 2; v++) {
            double t0 = now();
            double rate = dbl[v]->fma_peak(10000000L) / (now() - t0);
            peak[v] = rate > peak[v] ? rate : peak[v];
        }
    }
    printf("fp64 peak, best of 10 in this run: avx2 %.1f, avx512 %.1f GFLOP/s\n", peak[0] / 1e9, peak[1] / 1e9);
    printf("| isa | d | K | double rows/s | float rows/s | float/double | double %% of peak | counting 2 d^2 |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int di = 0; di < nd; di++) {
        int d = ds[di];
        int n = argc > 2 ? atoi(argv[2]) : 1 << 14;
        srand(7);
        float *off = malloc(sizeof(float) * n * d);
        double *shift = calloc(d, sizeof(double)), *means = malloc(sizeof(double) * k * d);
        double *prec = calloc((size_t)k * d * d, sizeof(double)), *logdet = calloc(k, sizeof(double));
        double *logw = malloc(sizeof(double) * k);
        for (int i = 0; i < n * d; i++) off[i] = (float)(4 * uniform() - 2);
        for (int i = 0; i < k * d; i++) means[i] = 2 * uniform() - 1;
        for (int c = 0; c < k; c++) {
            logw[c] = -2.0794415416798357;
            for (int a = 0; a < d; a++) {
                prec[(size_t)c * d * d + a * d + a] = 1.0;
                for (int b = a + 1; b < d; b++) prec[(size_t)c * d * d + a * d + b] = 0.1 * (uniform() - 0.5);
            }
        }
        ms_model m = {k, d, MS_FULL, means, prec, logdet, logw};
        double *counts = calloc(k, 8), *sums = calloc((size_t)k * d, 8), *sc = calloc((size_t)k * d * d, 8);
        double totals[4] = {0};
        ms_stats st = {counts, sums, sc, totals};
        ms_rows rows = {NULL, off, shift};
        for (int v = 0; v < 2; v++) {
            double bd = 1e30, bf = 1e30;
            for (int r = 0; r < rounds; r++) {
                bd = best_time(dbl[v], &rows, n, &m, &st, bd);
                bf = best_time(flt[v], &rows, n, &m, &st, bf);
            }
            /* The flops the kernel executes (KernelReport's count), and the 2 d^2 per row and component
             * of the two products alone, the count the targets use. */
            double flops = (2.0 * d * (d + 1) + 6.0 * d) * k * n, products = 2.0 * d * d * k * n;
            printf("| %s | %d | %d | %.3g | %.3g | %.2fx | %.0f%% | %.1f%% |\n", isa[v], d, k, n / bd, n / bf,
                   bd / bf, 100 * flops / bd / peak[v], 100 * products / bd / peak[v]);
        }
        free(off); free(shift); free(means); free(prec); free(logdet); free(logw);
        free(counts); free(sums); free(sc);
    }
    return 0;
}
