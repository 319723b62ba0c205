package io.mixspark.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.storage.BlockUpdatedInfo;

/**
 * The bytes of the broadcast pieces the driver stores while some jobs run: each stage's task
 * binary (its RDD with the lineage, and the function the tasks run, serialised and compressed)
 * and any broadcast the jobs make. What every executor fetches once per stage.
 */
public final class ShippedBytes extends SparkListener {

    /**
     * A bound on what a pass of a small model over blocks without lineage ships: its task binary
     * is about 3.5 KB compressed; one that carries a generated DataFrame's plans is 20 KB.
     */
    public static final long MAX_PER_SMALL_PASS = 8 * 1024;

    /** Size by piece: a piece is reported again when it is removed (storage level none) or moves. */
    private final Map<String, Long> pieces = new ConcurrentHashMap<>();

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated event) {
        BlockUpdatedInfo info = event.blockUpdatedInfo();
        if (info.blockId().isBroadcast() && info.blockId().name().contains("_piece")
                && "driver".equals(info.blockManagerId().executorId()) && info.storageLevel().isValid()) {
            pieces.merge(info.blockId().name(), info.memSize() + info.diskSize(), Math::max);
        }
    }

    /** The broadcast bytes the driver stored while {@code jobs} ran. */
    public static long during(SparkContext sc, Runnable jobs) throws java.util.concurrent.TimeoutException {
        sc.listenerBus().waitUntilEmpty();
        ShippedBytes listener = new ShippedBytes();
        sc.addSparkListener(listener);
        try {
            jobs.run();
            sc.listenerBus().waitUntilEmpty();
        } finally {
            sc.removeSparkListener(listener);
        }
        return listener.pieces.values().stream().mapToLong(Long::longValue).sum();
    }
}
