#define KERNEL_SUFFIX avx512
#include "kernels_body.h"
