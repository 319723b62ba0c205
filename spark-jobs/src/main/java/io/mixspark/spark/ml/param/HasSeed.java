package io.mixspark.spark.ml.param;

import org.apache.spark.ml.param.LongParam;

/** {@code seed}: the seed of every random choice a fit makes. */
public interface HasSeed<T> extends MixSparkParams<T> {

    default LongParam seed() {
        return declare("seed", p -> new LongParam(p, "seed", "random seed"), 0L);
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default T setSeed(long value) {
        return setParam(seed(), value);
    }
}
