/* Instruction-set detection, and the JNI entry points that call the chosen kernels. */
#include <jni.h>
#include <stdint.h>
#include <xmmintrin.h>
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

/* Added to an instruction set's number for float arithmetic (NativeKernels.FLOAT_ARITHMETIC). */
#define FLOAT_ARITHMETIC 16

static const ms_kernels *kernels_for(jint variant) {
    int single = variant >= FLOAT_ARITHMETIC;
    switch (variant % FLOAT_ARITHMETIC) {
        case ISA_AVX512:
            return single ? &ms_kernels_avx512_float : &ms_kernels_avx512;
        case ISA_AVX2:
            return single ? &ms_kernels_avx2_float : &ms_kernels_avx2;
        default:
            return single ? &ms_kernels_scalar_float : &ms_kernels_scalar;
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

/*
 * Fault injection for the tests: when >= 0, the number of pins this thread still makes before
 * one fails as GetPrimitiveArrayCritical may (NULL); then it is off again. Set through the
 * package-private NativeKernels.failPinAfter, so a caller outside the tests cannot reach it.
 */
static _Thread_local int pins_before_failure = -1;

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_failPinAfter(JNIEnv *env, jclass cls,
                                                                               jint pins) {
    (void)env;
    (void)cls;
    pins_before_failure = pins;
}

/* GetPrimitiveArrayCritical, or NULL when it fails (or the test hook says it should). */
static void *pin(JNIEnv *env, jarray array) {
    if (pins_before_failure >= 0 && pins_before_failure-- == 0) {
        return NULL;
    }
    return (*env)->GetPrimitiveArrayCritical(env, array, NULL);
}

/*
 * Raises OutOfMemoryError in Java. Only called with nothing pinned: no JNI call but the release
 * ones may run inside a critical region. Keeps an exception the JVM has already raised.
 */
static void throw_oom(JNIEnv *env, const char *why) {
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (oom != NULL) {
        (*env)->ThrowNew(env, oom, why);
    }
}

static const char NO_SCRATCH[] = "native kernel could not allocate scratch memory";
static const char NO_PIN[] = "native kernel could not pin a Java array (GetPrimitiveArrayCritical returned NULL)";

/* How a call ended: done, no memory for the kernel's scratch, or a pin that failed. */
enum { DONE = 0, NO_MEMORY = -1, PIN_FAILED = -2 };

static void throw_for(JNIEnv *env, int status) {
    if (status == NO_MEMORY) throw_oom(env, NO_SCRATCH);
    if (status == PIN_FAILED) throw_oom(env, NO_PIN);
}

/*
 * While an array is pinned the garbage collector cannot run (HotSpot's GCLocker holds back any
 * thread that needs a collection), so a call pins its arrays for a slice of rows at a time, about
 * this many multiply-adds (a millisecond or two), not for a whole block: with d = 100 and k = 50
 * a block of 4096 rows is over a second of work. Slices are whole chunks, so the sums run in the
 * same order and the results do not depend on the slicing. What does not need the arrays pinned
 * happens once per call, not per slice: the scratch is allocated and zeroed before the first pin
 * and freed after the last release, and the precision factors are converted into it once.
 */
#define WORK_PER_PIN (1L << 23)

static jint slice_rows(jint rows, long work_per_row) {
    long n = WORK_PER_PIN / (work_per_row > 0 ? work_per_row : 1) / MS_CHUNK * MS_CHUNK;
    if (n < MS_CHUNK) n = MS_CHUNK;
    return n < rows ? (jint)n : rows;
}

/* The kernel's scratch for a call over `rows` rows, made before anything is pinned (none for no rows). */
static int new_scratch(const ms_kernels *kernels, jint rows, jint d, jint k, jint type, void **scratch) {
    if (rows <= 0) {
        return DONE;
    }
    *scratch = kernels->scratch_new(d, k, type);
    return *scratch == NULL ? NO_MEMORY : DONE;
}

/* An E-step's multiply-adds per row: the quadratic form and the scatter, for every component. */
static long expectation_work(jint d, jint k) {
    return (long)k * ((long)d * d + d);
}

/*
 * Flush-to-zero and denormals-are-zero (MXCSR bits 15 and 6) for the E-step. A responsibility
 * below 2.2e-308 would otherwise be subnormal, and every multiply-add of the row's scatter with it
 * takes a microcode assist, some hundred times an ordinary one: at d = 64 such rows made whole
 * iterations three times slower. The mass lost is below 2.2e-308 of a row's. The register belongs
 * to the thread, so the caller's (Java's, which keeps subnormals) is restored on return.
 */
#define MS_FTZ_DAZ 0x8040u

/*
 * Every entry point pins its arrays, runs, then releases them in reverse order (inputs with
 * JNI_ABORT: nothing to copy back) and throws only after releasing. A pin that fails skips the
 * kernel for the rest of the rows and raises OutOfMemoryError; the slices before it have added
 * into the statistics, which the caller then discards. Scratch that cannot be allocated raises
 * OutOfMemoryError before anything is pinned or added.
 */
/* The E-step of rows r0.. once they are pinned: pins the rest, runs, releases, and returns the status. */
static int expectation_pinned(JNIEnv *env, const ms_kernels *kernels, void *scratch, const ms_rows *in,
                              jdoubleArray w, jint r0, jint rows, jint d, jint k, jint type, jdoubleArray means,
                              jdoubleArray precision, jdoubleArray logDet, jdoubleArray logWeight,
                              jdoubleArray counts, jdoubleArray sums, jdoubleArray scatters, jdoubleArray totals) {
    int status = PIN_FAILED;
    double *pw = NULL, *pm = NULL, *pp = NULL, *pld = NULL, *plw = NULL;
    double *pc = NULL, *ps = NULL, *psc = NULL, *pt = NULL;
    if (w != NULL && (pw = pin(env, w)) == NULL) goto done;
    if ((pm = pin(env, means)) == NULL) goto done;
    if ((pp = pin(env, precision)) == NULL) goto done;
    if ((pld = pin(env, logDet)) == NULL) goto done;
    if ((plw = pin(env, logWeight)) == NULL) goto done;
    if ((pc = pin(env, counts)) == NULL) goto done;
    if ((ps = pin(env, sums)) == NULL) goto done;
    if ((psc = pin(env, scatters)) == NULL) goto done;
    if ((pt = pin(env, totals)) == NULL) goto done;
    {
        ms_model m = {k, d, type, pm, pp, pld, plw};
        ms_stats st = {pc, ps, psc, pt};
        unsigned int csr = _mm_getcsr();
        _mm_setcsr(csr | MS_FTZ_DAZ);
        kernels->expectation(scratch, in, pw == NULL ? NULL : pw + r0, rows, &m, &st);
        _mm_setcsr(csr);
        status = DONE;
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
    const ms_kernels *kernels = kernels_for(isa);
    void *scratch = NULL;
    int status = new_scratch(kernels, rows, d, k, type, &scratch);
    jint step = slice_rows(rows, expectation_work(d, k));
    for (jint r0 = 0; r0 < rows && status == DONE; r0 += step) {
        double *px = pin(env, x);
        if (px == NULL) {
            status = PIN_FAILED;
            break;
        }
        ms_rows in = {px + (size_t)r0 * d, NULL, NULL};
        status = expectation_pinned(env, kernels, scratch, &in, w, r0, rows - r0 < step ? rows - r0 : step, d, k,
                                    type, means, precision, logDet, logWeight, counts, sums, scatters, totals);
        (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    }
    kernels->scratch_free(scratch);
    throw_for(env, status);
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_expectationFloat(
        JNIEnv *env, jclass cls, jint isa, jfloatArray offsets, jdoubleArray shift, jdoubleArray w, jint rows, jint d,
        jint k, jint type, jdoubleArray means, jdoubleArray precision, jdoubleArray logDet, jdoubleArray logWeight,
        jdoubleArray counts, jdoubleArray sums, jdoubleArray scatters, jdoubleArray totals) {
    (void)cls;
    const ms_kernels *kernels = kernels_for(isa);
    void *scratch = NULL;
    int status = new_scratch(kernels, rows, d, k, type, &scratch);
    jint step = slice_rows(rows, expectation_work(d, k));
    for (jint r0 = 0; r0 < rows && status == DONE; r0 += step) {
        status = PIN_FAILED;
        float *po = pin(env, offsets);
        double *psh = po == NULL ? NULL : pin(env, shift);
        if (psh != NULL) {
            ms_rows in = {NULL, po + (size_t)r0 * d, psh};
            status = expectation_pinned(env, kernels, scratch, &in, w, r0, rows - r0 < step ? rows - r0 : step, d,
                                        k, type, means, precision, logDet, logWeight, counts, sums, scatters, totals);
            (*env)->ReleasePrimitiveArrayCritical(env, shift, psh, JNI_ABORT);
        }
        if (po != NULL) (*env)->ReleasePrimitiveArrayCritical(env, offsets, po, JNI_ABORT);
    }
    kernels->scratch_free(scratch);
    throw_for(env, status);
}

/* log N for rows r0.. (the output is row-major rows x k): pins, runs, releases, returns the status. */
static int log_joint_slice(JNIEnv *env, const ms_kernels *kernels, void *scratch, jdoubleArray x, jint r0, jint rows,
                           jint d, jint k, jint type, jdoubleArray means, jdoubleArray precision, jdoubleArray logDet,
                           jdoubleArray logWeight, jdoubleArray out) {
    int status = PIN_FAILED;
    double *px = NULL, *pm = NULL, *pp = NULL, *pld = NULL, *plw = NULL, *po = NULL;
    if ((px = pin(env, x)) == NULL) goto done;
    if ((pm = pin(env, means)) == NULL) goto done;
    if ((pp = pin(env, precision)) == NULL) goto done;
    if ((pld = pin(env, logDet)) == NULL) goto done;
    if ((plw = pin(env, logWeight)) == NULL) goto done;
    if ((po = pin(env, out)) == NULL) goto done;
    {
        ms_model m = {k, d, type, pm, pp, pld, plw};
        ms_rows in = {px + (size_t)r0 * d, NULL, NULL};
        kernels->log_joint(scratch, &in, rows, &m, po + (size_t)r0 * k);
        status = DONE;
    }
done:
    if (po != NULL) (*env)->ReleasePrimitiveArrayCritical(env, out, po, 0);
    if (plw != NULL) (*env)->ReleasePrimitiveArrayCritical(env, logWeight, plw, JNI_ABORT);
    if (pld != NULL) (*env)->ReleasePrimitiveArrayCritical(env, logDet, pld, JNI_ABORT);
    if (pp != NULL) (*env)->ReleasePrimitiveArrayCritical(env, precision, pp, JNI_ABORT);
    if (pm != NULL) (*env)->ReleasePrimitiveArrayCritical(env, means, pm, JNI_ABORT);
    if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return status;
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_logJoint(
        JNIEnv *env, jclass cls, jint isa, jdoubleArray x, jint rows, jint d, jint k, jint type,
        jdoubleArray means, jdoubleArray precision, jdoubleArray logDet, jdoubleArray logWeight, jdoubleArray out) {
    (void)cls;
    const ms_kernels *kernels = kernels_for(isa);
    void *scratch = NULL;
    int status = new_scratch(kernels, rows, d, k, type, &scratch);
    jint step = slice_rows(rows, (long)k * ((long)d * d + d) / 2);
    for (jint r0 = 0; r0 < rows && status == DONE; r0 += step) {
        status = log_joint_slice(env, kernels, scratch, x, r0, rows - r0 < step ? rows - r0 : step, d, k, type,
                                 means, precision, logDet, logWeight, out);
    }
    kernels->scratch_free(scratch);
    throw_for(env, status);
}

JNIEXPORT void JNICALL Java_io_mixspark_nativekernel_NativeKernels_nearestCentres(
        JNIEnv *env, jclass cls, jint isa, jdoubleArray x, jint rows, jint d, jdoubleArray centres, jint k,
        jintArray labels, jdoubleArray distances) {
    (void)cls;
    int status = DONE;
    jint step = slice_rows(rows, (long)k * d);
    for (jint r0 = 0; r0 < rows && status == DONE; r0 += step) {
        jint n = rows - r0 < step ? rows - r0 : step;
        status = PIN_FAILED;
        double *px = NULL, *pc = NULL, *pd = NULL;
        jint *pl = NULL;
        if ((px = pin(env, x)) == NULL) goto done;
        if ((pc = pin(env, centres)) == NULL) goto done;
        if ((pl = pin(env, labels)) == NULL) goto done;
        if ((pd = pin(env, distances)) == NULL) goto done;
        kernels_for(isa)->nearest(px + (size_t)r0 * d, n, d, pc, k, (int32_t *)pl + r0, pd + r0);
        status = DONE;
    done:
        if (pd != NULL) (*env)->ReleasePrimitiveArrayCritical(env, distances, pd, 0);
        if (pl != NULL) (*env)->ReleasePrimitiveArrayCritical(env, labels, pl, 0);
        if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, centres, pc, JNI_ABORT);
        if (px != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    }
    throw_for(env, status);
}

JNIEXPORT jdouble JNICALL Java_io_mixspark_nativekernel_NativeKernels_fmaPeak(JNIEnv *env, jclass cls, jint isa,
                                                                              jlong iterations) {
    (void)env;
    (void)cls;
    return kernels_for(isa)->fma_peak((long)iterations);
}
