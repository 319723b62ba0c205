package io.mixspark.spark.ml.param;

import io.mixspark.em.EmOptions;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;

/** {@code maxIter}: iterations at most; EM's default, which other solvers override. */
public interface HasMaxIter<T> extends MixSparkParams<T> {

    default IntParam maxIter() {
        return declare("maxIter", p -> new IntParam(p, "maxIter", "iterations at most (>= 1)",
                ParamValidators.gtEq(1)), EmOptions.DEFAULT_MAX_ITER);
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    default T setMaxIter(int value) {
        return setParam(maxIter(), value);
    }
}
