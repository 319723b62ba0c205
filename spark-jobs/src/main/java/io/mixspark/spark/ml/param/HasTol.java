package io.mixspark.spark.ml.param;

import io.mixspark.em.EmOptions;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamValidators;

/** {@code tol}: the convergence tolerance; EM's default, which other solvers override. */
public interface HasTol<T> extends MixSparkParams<T> {

    default DoubleParam tol() {
        return declare("tol", p -> new DoubleParam(p, "tol", "convergence tolerance (>= 0): EM stops when the"
                + " mean log-likelihood per row changes by less, the SDP solvers when their residuals fall below it",
                ParamValidators.gtEq(0)), EmOptions.DEFAULT_TOL);
    }

    default double getTol() {
        return (Double) getOrDefault(tol());
    }

    default T setTol(double value) {
        return setParam(tol(), value);
    }
}
