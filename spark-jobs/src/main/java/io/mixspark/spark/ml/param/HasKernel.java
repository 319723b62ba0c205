package io.mixspark.spark.ml.param;

import io.mixspark.gmm.Kernels;
import java.io.Serializable;
import org.apache.spark.ml.param.Param;
import scala.runtime.AbstractFunction1;

/**
 * {@code kernel}: the likelihood backend. The validator accepts every name a backend can have
 * ({@link Kernels#isKnownName}), not only those this JVM can load, so a stage saved on one
 * machine loads on another; fit checks that this machine can run it.
 */
public interface HasKernel<T> extends MixSparkParams<T> {

    default Param<String> kernel() {
        return declare("kernel", p -> new Param<>(p, "kernel", "likelihood kernel: auto, java, or a native backend"
                + " (native-avx512, native-avx2, native-scalar, or avx512, avx2, scalar)", new KnownKernel()),
                Kernels.AUTO);
    }

    default String getKernel() {
        return getOrDefault(kernel());
    }

    default T setKernel(String value) {
        return setParam(kernel(), value);
    }

    /** The validator: a serialisable function, as every part of a Spark ML stage must be. */
    final class KnownKernel extends AbstractFunction1<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(String name) {
            return Kernels.isKnownName(name);
        }
    }
}
