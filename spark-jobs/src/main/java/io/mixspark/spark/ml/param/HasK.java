package io.mixspark.spark.ml.param;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;

/** {@code k}: the number of components (or clusters). */
public interface HasK<T> extends MixSparkParams<T> {

    default IntParam k() {
        return declare("k", p -> new IntParam(p, "k", "number of components (>= 1)", ParamValidators.gtEq(1)), 2);
    }

    default int getK() {
        return (Integer) getOrDefault(k());
    }

    default T setK(int value) {
        return setParam(k(), value);
    }
}
