/* The kernels for this instruction set, in double and in float arithmetic. */
#define KERNEL_SUFFIX avx512
#include "kernels_body.h"
#define KERNEL_SUFFIX avx512_float
#define KERNEL_FLOAT 1
#include "kernels_body.h"
