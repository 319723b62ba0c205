package io.mixspark.spark.ml.param;

import io.mixspark.em.EmOptions;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamValidators;

/** {@code regCovar}: the ridge added to every variance, which keeps covariances invertible. */
public interface HasRegCovar<T> extends MixSparkParams<T> {

    default DoubleParam regCovar() {
        return declare("regCovar", p -> new DoubleParam(p, "regCovar", "added to every variance in the M-step (>= 0)",
                ParamValidators.gtEq(0)), EmOptions.DEFAULT_REG_COVAR);
    }

    default double getRegCovar() {
        return (Double) getOrDefault(regCovar());
    }

    default T setRegCovar(double value) {
        return setParam(regCovar(), value);
    }
}
