package io.mixspark.spark.ml.param;

import io.mixspark.spark.BlockPacker;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;

/** {@code blockSize}: rows per cached block, the unit every kernel call works on. */
public interface HasBlockSize<T> extends MixSparkParams<T> {

    default IntParam blockSize() {
        return declare("blockSize", p -> new IntParam(p, "blockSize", "rows per cached block (>= 1)",
                ParamValidators.gtEq(1)), BlockPacker.DEFAULT_BLOCK_ROWS);
    }

    default int getBlockSize() {
        return (Integer) getOrDefault(blockSize());
    }

    default T setBlockSize(int value) {
        return setParam(blockSize(), value);
    }
}
