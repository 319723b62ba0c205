/* The kernels for this instruction set, in double and in float arithmetic. */
#define KERNEL_SUFFIX scalar
#include "kernels_body.h"
#define KERNEL_SUFFIX scalar_float
#define KERNEL_FLOAT 1
#include "kernels_body.h"
