package io.mixspark.spark;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Counts the tasks that ran with each likelihood kernel, as the executors report them: the
 * kernels that actually ran, which an executor without the native library can make differ from
 * the driver's choice. It counts tasks run, retries included: a task that Spark runs again (after
 * its executor was lost, or to rebuild lost shuffle output) is counted each time it succeeds.
 */
public final class KernelUsage extends AccumulatorV2<String, Map<String, Long>> {

    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Long> tasks = new TreeMap<>();

    @Override
    public boolean isZero() {
        return tasks.isEmpty();
    }

    @Override
    public KernelUsage copy() {
        KernelUsage copy = new KernelUsage();
        copy.tasks.putAll(tasks);
        return copy;
    }

    @Override
    public void reset() {
        tasks.clear();
    }

    /** One task ran with this kernel. */
    @Override
    public void add(String kernel) {
        tasks.merge(kernel, 1L, Long::sum);
    }

    @Override
    public void merge(AccumulatorV2<String, Map<String, Long>> other) {
        other.value().forEach((kernel, n) -> tasks.merge(kernel, n, Long::sum));
    }

    /** Tasks per kernel name, in name order. */
    @Override
    public Map<String, Long> value() {
        return new TreeMap<>(tasks);
    }
}
