#define KERNEL_SUFFIX avx2
#include "kernels_body.h"
