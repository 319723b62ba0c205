package io.mixspark.spark.ml.param;

import org.apache.spark.ml.param.Param;

/** {@code weightCol}: per-row weights; empty means every row weighs 1. */
public interface HasWeightCol<T> extends MixSparkParams<T> {

    default Param<String> weightCol() {
        return declare("weightCol", p -> new Param<>(p, "weightCol", "row weight column; empty for unit weights"), "");
    }

    default String getWeightCol() {
        return getOrDefault(weightCol());
    }

    default T setWeightCol(String value) {
        return setParam(weightCol(), value == null ? "" : value);
    }
}
