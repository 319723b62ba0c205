# Builds the float/double speed driver (kernel_speed.c) from the kernel sources; run from native/src/main/c.
include Makefile
$(OBJ)/kernel_speed: ../../test/c/kernel_speed.c $(OBJ)/kernels_scalar.o $(OBJ)/kernels_avx2.o $(OBJ)/kernels_avx512.o
	$(CC) -std=c11 -O2 -D_POSIX_C_SOURCE=199309L -I. -o $@ $^ -lm
.DEFAULT_GOAL := $(OBJ)/kernel_speed
