/* Instruction-set detection, and the JNI entry points that call the chosen kernels. */
#include <jni.h>
#include <stdint.h>
#include "kernels.h"
#include "io_mixspark_nativekernel_NativeKernels.h"

int ms_precision_size(int type, int d) {
    switch (type) {
        case MS_FULL:
        case MS_TIED:
            return d * d;
        case MS_DIAG:
            return d;
        default:
            return 1;
    }
}

/* Instruction sets, in the order of io.mixspark.nativekernel.Isa. */
enum { ISA_SCALAR = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };

static const ms_kernels *kernels_for(jint isa) {
    switch (isa) {
        case ISA_AVX512:
            return &ms_kernels_avx512;
        case ISA_AVX2:
            return &ms_kernels_avx2;
        default:
            return &ms_kernels_scalar;
    }
}

JNIEXPORT jint JNICALL Java_io_mixspark_nativekernel_NativeKernels_supportedIsaMask(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    __builtin_cpu_init();
    jint mask = 1 << ISA_SCALAR;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        mask |= 1 << ISA_AVX2;
    }
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma")) {
        mask |= 1 << ISA_AVX512;
    }
    return mask;
}

static void throw_oom(JNIEnv *env) {
    jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (oom != NULL) {
        (*env)->ThrowNew(env, oom, "native kernel could not allocate scratch memory");
    }
}

/*
 * Every entry point pins its arrays, runs, then releases them in reverse order (inputs with
 * JNI_ABORT: nothing to copy back) and throws only after releasing.
 */
/* The E-step once the rows are pinned: pins the rest, runs, releases, and returns the status. */
static int expectation_pinned(JNIEnv *env, jint isa, const ms_rows *in, jdoubleArray w, jint rows, jint d, jint k,
                              jint type, jdoubleArray means, jdoubleArray precision, jdoubleArray logDet,
                              jdoubleArray logWeight, jdoubleArray counts, jdoubleArray sums, jdoubleArray scatters,
                              jdoubleArray totals) {
    int status = 0;
    double *pw = NULL, *pm = NULL, *pp = NULL, *pld = NULL, *plw = NULL;
    double *pc = NULL, *ps = NULL, *psc = NULL, *pt = NULL;
    if (w != NULL && (pw = (*env)->GetPrimitiveArrayCritical(env, w, NULL)) == NULL) goto done;
    if ((pm = (*env)->GetPrimitiveArrayCritical(env, means, NULL)) == NULL) goto done;
    if ((pp = (*env)->GetPrimitiveArrayCritical(env, precision, NULL)) == NULL) goto done;
    if ((pld = (*env)->GetPrimitiveArrayCritical(env, logDet, NULL)) == NULL) goto done;
    if ((plw = (*env)->GetPrimitiveArrayCritical(env, logWeight, NULL)) == NULL) goto done;
    if ((pc = (*env)->GetPrimitiveArrayCritical(env, counts, NULL)) == NULL) goto done;
    if ((ps = (*env)->GetPrimitiveArrayCritical(env, sums, NULL)) == NULL) goto done;
    if ((psc = (*env)->GetPrimitiveArrayCritical(env, scatters, NULL)) == NULL) goto done;
    if ((pt = (*env)->GetPrimitiveArrayCritical(env, totals, NULL)) == NULL) goto done;
    {
        ms_model m = {k, d, type, pm, pp, pld, plw};
        ms_stats st = {pc, ps, psc, pt};
        status = kernels_for(isa)->expectation(in, pw, rows, &m, &st);
    }
done:
    if (pt != NULL) (*env)->ReleasePrimitiveArrayCritical(env, totals, pt, 0);
    if (psc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, scatters, psc, 0);
    if (ps != NULL) (*env)->ReleasePrimitiveArrayCritical(env, sums, ps, 0);
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, counts, pc, 0);
    if (plw != NULL) (*env)->ReleasePrimitiveArrayCritical(env, logWeight, plw, JNI_ABORT);
    if (pld != NULL) (*env)->ReleasePrimitiveArrayCritical(env, logDet, pld, JNI_ABORT);
    if (pp != NULL) (*env)->ReleasePrimitiveArrayCritical(env, precision, pp, JNI_ABORT);
    if (pm != NULL) (*env)->ReleasePrimitiveArrayCritical(env, means, pm, JNI_ABORT);
    if (pw != NULL) (*env)->ReleasePrimitiveArrayCritical(env, w, pw, JNI_ABORT);
    return status;
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_expectation(
        JNIEnv *env, jclass cls, jint isa, jdoubleArray x, jdoubleArray w, jint rows, jint d, jint k, jint type,
        jdoubleArray means, jdoubleArray precision, jdoubleArray logDet, jdoubleArray logWeight,
        jdoubleArray counts, jdoubleArray sums, jdoubleArray scatters, jdoubleArray totals) {
    (void)cls;
    int status = 0;
    double *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    if (px != NULL) {
        ms_rows in = {px, NULL, NULL};
        status = expectation_pinned(env, isa, &in, w, rows, d, k, type, means, precision, logDet, logWeight,
                                    counts, sums, scatters, totals);
        (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    }
    if (status != 0) throw_oom(env);
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_expectationFloat(
        JNIEnv *env, jclass cls, jint isa, jfloatArray offsets, jdoubleArray shift, jdoubleArray w, jint rows, jint d,
        jint k, jint type, jdoubleArray means, jdoubleArray precision, jdoubleArray logDet, jdoubleArray logWeight,
        jdoubleArray counts, jdoubleArray sums, jdoubleArray scatters, jdoubleArray totals) {
    (void)cls;
    int status = 0;
    float *po = (*env)->GetPrimitiveArrayCritical(env, offsets, NULL);
    double *psh = po == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, shift, NULL);
    if (psh != NULL) {
        ms_rows in = {NULL, po, psh};
        status = expectation_pinned(env, isa, &in, w, rows, d, k, type, means, precision, logDet, logWeight,
                                    counts, sums, scatters, totals);
        (*env)->ReleasePrimitiveArrayCritical(env, shift, psh, JNI_ABORT);
    }
    if (po != NULL) (*env)->ReleasePrimitiveArrayCritical(env, offsets, po, JNI_ABORT);
    if (status != 0) throw_oom(env);
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_logJoint(
        JNIEnv *env, jclass cls, jint isa, jdoubleArray x, jint rows, jint d, jint k, jint type,
        jdoubleArray means, jdoubleArray precision, jdoubleArray logDet, jdoubleArray logWeight, jdoubleArray out) {
    (void)cls;
    int status = 0;
    double *px = NULL, *pm = NULL, *pp = NULL, *pld = NULL, *plw = NULL, *po = NULL;
    if ((px = (*env)->GetPrimitiveArrayCritical(env, x, NULL)) == NULL) goto done;
    if ((pm = (*env)->GetPrimitiveArrayCritical(env, means, NULL)) == NULL) goto done;
    if ((pp = (*env)->GetPrimitiveArrayCritical(env, precision, NULL)) == NULL) goto done;
    if ((pld = (*env)->GetPrimitiveArrayCritical(env, logDet, NULL)) == NULL) goto done;
    if ((plw = (*env)->GetPrimitiveArrayCritical(env, logWeight, NULL)) == NULL) goto done;
    if ((po = (*env)->GetPrimitiveArrayCritical(env, out, NULL)) == NULL) goto done;
    {
        ms_model m = {k, d, type, pm, pp, pld, plw};
        ms_rows in = {px, NULL, NULL};
        status = kernels_for(isa)->log_joint(&in, rows, &m, po);
    }
done:
    if (po != NULL) (*env)->ReleasePrimitiveArrayCritical(env, out, po, 0);
    if (plw != NULL) (*env)->ReleasePrimitiveArrayCritical(env, logWeight, plw, JNI_ABORT);
    if (pld != NULL) (*env)->ReleasePrimitiveArrayCritical(env, logDet, pld, JNI_ABORT);
    if (pp != NULL) (*env)->ReleasePrimitiveArrayCritical(env, precision, pp, JNI_ABORT);
    if (pm != NULL) (*env)->ReleasePrimitiveArrayCritical(env, means, pm, JNI_ABORT);
    if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    if (status != 0) throw_oom(env);
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_nearestCentres(
        JNIEnv *env, jclass cls, jint isa, jdoubleArray x, jint rows, jint d, jdoubleArray centres, jint k,
        jintArray labels, jdoubleArray distances) {
    (void)cls;
    double *px = NULL, *pc = NULL, *pd = NULL;
    jint *pl = NULL;
    if ((px = (*env)->GetPrimitiveArrayCritical(env, x, NULL)) == NULL) goto done;
    if ((pc = (*env)->GetPrimitiveArrayCritical(env, centres, NULL)) == NULL) goto done;
    if ((pl = (*env)->GetPrimitiveArrayCritical(env, labels, NULL)) == NULL) goto done;
    if ((pd = (*env)->GetPrimitiveArrayCritical(env, distances, NULL)) == NULL) goto done;
    kernels_for(isa)->nearest(px, rows, d, pc, k, (int32_t *)pl, pd);
done:
    if (pd != NULL) (*env)->ReleasePrimitiveArrayCritical(env, distances, pd, 0);
    if (pl != NULL) (*env)->ReleasePrimitiveArrayCritical(env, labels, pl, 0);
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, centres, pc, JNI_ABORT);
    if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
}

JNIEXPORT jdouble JNICALL Java_io_mixspark_nativekernel_NativeKernels_fmaPeak(JNIEnv *env, jclass cls, jint isa,
                                                                              jlong iterations) {
    (void)env;
    (void)cls;
    return kernels_for(isa)->fma_peak((long)iterations);
}
