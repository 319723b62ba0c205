#define KERNEL_SUFFIX scalar
#include "kernels_body.h"
