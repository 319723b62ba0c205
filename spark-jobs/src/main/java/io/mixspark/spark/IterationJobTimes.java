package io.mixspark.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Seconds per iteration of an iterative Spark algorithm that runs one job per iteration (Spark
 * MLlib's GaussianMixture: one {@code treeAggregate} per EM iteration), read from the start times
 * of those jobs. The interval between two consecutive starts is one whole iteration, driver work
 * included; set-up before the first job and work after the last are left out. Timing each fit
 * from outside and subtracting a one-iteration fit instead gives noise of the size of the fit
 * itself, even negative times, on a busy machine.
 */
public final class IterationJobTimes extends SparkListener implements AutoCloseable {

    private final SparkContext context;
    private final String group;
    private final String callSitePrefix;
    private final List<Long> starts = new ArrayList<>();

    /**
     * Listens for jobs of {@code group} with a stage named by a call site that starts with
     * {@code callSitePrefix}, and puts the calling thread's later jobs in that group.
     */
    public IterationJobTimes(SparkContext context, String group, String callSitePrefix) {
        this.context = context;
        this.group = group;
        this.callSitePrefix = callSitePrefix;
        context.addSparkListener(this);
        context.setJobGroup(group, "timed iterations", false);
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String jobGroup = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
        // A stage is named by the call site of its job ("treeAggregate at GaussianMixture.scala:NNN").
        boolean named = CollectionConverters.asJava(start.stageInfos()).stream()
                .anyMatch(stage -> stage.name().startsWith(callSitePrefix));
        if (group.equals(jobGroup) && named) {
            synchronized (starts) {
                starts.add(start.time());
            }
        }
    }

    /**
     * The intervals between consecutive job starts, in seconds, in order, once {@code jobs} jobs
     * were seen (the listener bus delivers events late); empty when fewer than two jobs ran.
     */
    public double[] secondsPerIteration(int jobs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen() < jobs && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] times;
        synchronized (starts) {
            times = starts.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        double[] intervals = new double[Math.max(0, times.length - 1)];
        for (int i = 1; i < times.length; i++) {
            intervals[i - 1] = (times[i] - times[i - 1]) / 1e3;
        }
        return intervals;
    }

    private int seen() {
        synchronized (starts) {
            return starts.size();
        }
    }

    @Override
    public void close() {
        context.removeSparkListener(this);
        context.clearJobGroup();
    }
}
