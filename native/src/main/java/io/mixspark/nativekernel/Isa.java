package io.mixspark.nativekernel;

import java.util.Locale;

/** The instruction sets the native library is compiled for, in the order the C side numbers them. */
public enum Isa {
    SCALAR, AVX2, AVX512;

    /** The name used in kernel names and on the command line: scalar, avx2, avx512. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
