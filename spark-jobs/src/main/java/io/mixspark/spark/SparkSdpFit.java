package io.mixspark.spark;

import io.mixspark.data.BlockStorage;
import io.mixspark.data.DataBlock;
import io.mixspark.sdp.SdpFit;
import io.mixspark.sdp.SdpSettings;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SDP clustering ({@link SdpFit}) of packed blocks on Spark: the blocks are cached as
 * {@link SparkBlockData}, Burer-Monteiro's factor is partitioned with them as
 * {@link SparkFactorData}, and the solver's progress goes to the log.
 */
public final class SparkSdpFit {

    /** Under the algorithm's name, which the logging configuration raises to INFO. */
    private static final Logger LOG = LoggerFactory.getLogger(SdpFit.class);

    private SparkSdpFit() {
    }

    /**
     * @param blocks packed blocks (see {@link BlockPacker}); cached for the fit and released after
     *               it unless they were cached already
     * @param d      columns of every block
     * @param depth  depth of the aggregation tree, >= 1
     */
    public static SdpFit.Outcome fit(JavaRDD<DataBlock> blocks, int d, SdpSettings settings, int depth) {
        return fitCounted(blocks, d, settings, depth).outcome();
    }

    /** A fit's outcome and its passes' tasks per kernel ({@link SparkBlockData#kernelsUsed()}). */
    public record Counted(SdpFit.Outcome outcome, Map<String, Long> kernelsUsed) {
    }

    /** Like {@link #fit}, with the kernels its passes ran with. */
    public static Counted fitCounted(JavaRDD<DataBlock> blocks, int d, SdpSettings settings, int depth) {
        // The factor is partitioned with the cached blocks' RDD, so passes stay Spark jobs.
        try (SparkBlockData data = new SparkBlockData(blocks, d, depth, BlockStorage.DOUBLE, LocalFoldSetting.OFF)) {
            SdpFit.Outcome outcome = SdpFit.fit(data, settings,
                    rows -> new SparkFactorData(rows.blocks(), rows.dimension(), depth), LOG::info);
            return new Counted(outcome, data.kernelsUsed());
        }
    }
}
