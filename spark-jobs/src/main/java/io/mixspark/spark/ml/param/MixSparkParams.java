package io.mixspark.spark.ml.param;

import java.util.function.Function;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * A MixSpark stage (estimator or model) of concrete type {@code T}: the base of every
 * {@code HasXxx} interface. A stage keeps one {@link DeclaredParams}, which also holds its uid,
 * and calls {@link #declareAll()} in its constructor, so every default is registered before the
 * stage is used, copied or saved.
 *
 * <p>Java interfaces cannot have protected members, so {@link #declare}, {@link #setParam},
 * {@link #self}, {@link #declareAll} and {@link #declaredParams} are public; they are for stage
 * implementations (Spark keeps their Scala counterparts protected). A param declared after
 * construction is not among the stage's {@code params()} and cannot be set.
 */
public interface MixSparkParams<T> extends Params {

    /** Where this stage keeps its uid and Param objects (not a Param, so Spark's discovery skips it). */
    DeclaredParams declaredParams();

    @Override
    default String uid() {
        return declaredParams().uid();
    }

    /** This stage as its concrete type, for setters that chain. */
    @SuppressWarnings("unchecked")
    default T self() {
        return (T) this;
    }

    /**
     * The param {@code name} of this stage, made by {@code make} with {@code defaultValue} as its
     * default the first time it is asked for.
     */
    default <V, P extends Param<V>> P declare(String name, Function<Params, P> make, V defaultValue) {
        return declaredParams().get(name, () -> {
            P param = make.apply(this);
            setDefault(param, defaultValue);
            return param;
        });
    }

    /** Sets a param and returns this stage. */
    default <V> T setParam(Param<V> param, V value) {
        set(param, value);
        return self();
    }

    /** Makes every param and registers its default; Spark finds them by their accessors. */
    default void declareAll() {
        params();
    }
}
