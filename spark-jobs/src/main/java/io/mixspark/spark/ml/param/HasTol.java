package io.mixspark.spark.ml.param;

import io.mixspark.em.EmOptions;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamValidators;

/** {@code tol}: the convergence tolerance; EM's default, which other solvers override. */
public interface HasTol<T> extends MixSparkParams<T> {

    /** The one doc of {@code tol}, also for stages that narrow its range. */
    String DOC = "convergence tolerance: EM stops when the mean log-likelihood per row changes by less (>= 0),"
            + " the SDP solvers when their residuals fall below it (in (0, 1))";

    default DoubleParam tol() {
        return declare("tol", p -> new DoubleParam(p, "tol", DOC, ParamValidators.gtEq(0)), EmOptions.DEFAULT_TOL);
    }

    default double getTol() {
        return (Double) getOrDefault(tol());
    }

    default T setTol(double value) {
        return setParam(tol(), value);
    }
}
