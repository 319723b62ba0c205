# Builds the float/double speed driver (kernel_speed.c) from the kernel sources; run from native/src/main/c
# (OBJ=/tmp/x keeps its objects apart from Maven's; SANITIZE=address for an AddressSanitizer run).
include Makefile
$(OBJ)/kernel_speed: ../../test/c/kernel_speed.c $(OBJ)/kernels_scalar.o $(OBJ)/kernels_avx2.o $(OBJ)/kernels_avx512.o
	$(CC) -std=c11 -O2 -D_POSIX_C_SOURCE=199309L -I. -o $@ $^ -lm $(LDSAN)
.DEFAULT_GOAL := $(OBJ)/kernel_speed
