package io.mixspark.spark.ml.param;

import io.mixspark.gmm.Kernels;
import io.mixspark.nativekernel.Isa;
import java.util.Locale;
import org.apache.spark.ml.param.Param;

/**
 * {@code kernel}: the likelihood backend. The validator accepts every name a backend can have,
 * not only those this JVM can load, so a stage saved on one machine loads on another; fit
 * checks availability.
 */
public interface HasKernel<T> extends MixSparkParams<T> {

    default Param<String> kernel() {
        return declare("kernel", p -> new Param<String>(p, "kernel", "likelihood kernel: auto, java, or a native"
                + " backend (native-avx512, native-avx2, native-scalar, or avx512, avx2, scalar)",
                HasKernel::isKernelName), Kernels.AUTO);
    }

    default String getKernel() {
        return getOrDefault(kernel());
    }

    default T setKernel(String value) {
        return setParam(kernel(), value);
    }

    /** {@code auto}, {@code java}, or a native backend with or without its {@code native-} prefix. */
    static boolean isKernelName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals(Kernels.AUTO) || n.equals("java")) {
            return true;
        }
        String isa = n.startsWith("native-") ? n.substring("native-".length()) : n;
        for (Isa known : Isa.values()) {
            if (known.id().equals(isa)) {
                return true;
            }
        }
        return false;
    }
}
