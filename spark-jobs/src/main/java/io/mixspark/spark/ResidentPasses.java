package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.util.SizeEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes over cached blocks served by resident tasks, on masters with executor JVMs: one Spark job
 * whose tasks, one per partition of the cache, stay on their executors and fold pass after pass
 * ({@link ResidentTask}), fed by the driver over HTTP ({@link PassServer}), instead of one Spark job
 * per pass, whose launch costs more than a pass over few rows (docs/PERFORMANCE.md, "Resident
 * passes"). The partitions' results merge in partition order, as a flat Spark pass merges them, so
 * the result is the same to the bit as that flat pass (equal up to rounding to a treeAggregate).
 *
 * <p>{@link #aggregate} answers null whenever the pass should run as a Spark job instead: the
 * partitions do not fit in the executors' free task slots at once; the cache is not wholly in
 * executor memory, or an executor serving these blocks was lost (off for these blocks, said in the
 * log); Spark's traffic is encrypted (said once in a warning, resident passes then stay off); the
 * tasks did not all connect in time (a warning, then off), or stopped while connecting; the pass
 * cannot be serialised; or a task failed, was killed or lost with its executor, or reported a
 * failing pass, whose Spark job then gives Spark's own error. A cancel of the caller's job group,
 * in which the resident job runs, is rethrown as Spark's exception; an interrupt throws.
 *
 * <p>The tasks finish, freeing their slots for other work, when no pass has come for the idle
 * interval, on {@link #release()}, and on {@link #close()}.
 */
final class ResidentPasses implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResidentPasses.class);

    /** Local property naming the session a resident job serves, for the listener that watches its tasks. */
    static final String SESSION_PROPERTY = "mixspark.resident.session";

    private final SparkContext context;
    private final Consumer<String> warnings;
    private final long connectMillis;
    private final long idleMillis;
    private final Watch watch = new Watch();
    /** How long to wait for slots that Spark's status store still counts as busy. */
    private static final long SLOT_WAIT_NANOS = 50_000_000L;
    /** After a pass found too few free slots, passes run as Spark jobs for this long before the next check. */
    private static final long SLOT_CHECK_BACKOFF_NANOS = 1_000_000_000L;
    private long noSlotsUntil = System.nanoTime();
    private boolean toldNoSlots;
    private boolean toldNotResident;
    /** Set when a resident task was lost with its executor: passes over these blocks then stay Spark jobs. */
    private volatile boolean executorLost;
    private volatile PassServer server;
    private boolean off;
    private long session;
    private JavaFutureAction<Void> job;
    /** Whether the current job was ended by us (released or cancelled), so its end is not the caller's cancel. */
    private boolean endedByUs;
    private long served;

    ResidentPasses(SparkContext context, Consumer<String> warnings) {
        this.context = context;
        this.warnings = warnings;
        this.connectMillis = ResidentPassSetting.millis(context, ResidentPassSetting.CONNECT_TIMEOUT_KEY,
                ResidentPassSetting.DEFAULT_CONNECT_TIMEOUT);
        this.idleMillis = ResidentPassSetting.millis(context, ResidentPassSetting.IDLE_TIMEOUT_KEY,
                ResidentPassSetting.DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * Runs the pass on resident tasks over the cache's partitions, starting them if they are not
     * running; null when it must run as a Spark job instead.
     *
     * @param usage counts each partition's kernel, as Spark counts each task's
     */
    synchronized <A> A aggregate(JavaRDD<?> cache, BlockAggregator<A> aggregator, KernelUsage usage) {
        rethrowCallersCancel();
        if (off) {
            return null;
        }
        if ((server == null || !server.serving(session)) && !start(cache)) {
            return null;
        }
        Broadcast<BlockAggregator<A>> broadcast = null;
        boolean outstanding = true; // the session is busy with this pass until it is served or ended
        try {
            byte[] bytes;
            try {
                broadcast = SizeEstimator.estimate(aggregator) > SparkBlockData.MAX_PASS_BYTES_IN_TASK
                        ? JavaSparkContext.fromSparkContext(context).broadcast(aggregator) : null;
                bytes = JavaUtils.bufferToArray(ResidentTask.serializer()
                        .serialize(broadcast != null ? broadcast : aggregator, ResidentTask.anyRef()));
            } catch (Exception e) { // e.g. not serialisable (thrown undeclared): the Spark job gives Spark's own error
                outstanding = false;
                end("the pass could not be shipped");
                LOG.info("Resident passes stopped (the pass could not be shipped: {}): the pass runs as a Spark job",
                        e.toString());
                return null;
            }
            PassServer.Outcome outcome;
            try {
                outcome = server.run(bytes, this::jobEnded);
            } catch (InterruptedException e) {
                outstanding = false;
                throw interrupted();
            }
            if (outcome.stopped() != null) {
                outstanding = false;
                stopped(outcome.stopped());
                return null;
            }
            outstanding = false;
            OrderedMerge<A> merged = new OrderedMerge<>(aggregator, outcome.results().length);
            for (int p = 0; p < outcome.results().length; p++) {
                @SuppressWarnings("unchecked")
                A result = (A) outcome.results()[p];
                merged.offer(p, result);
                if (usage != null && outcome.kernels()[p] != null) {
                    usage.add(outcome.kernels()[p]);
                }
            }
            served++;
            return merged.result();
        } finally {
            if (outstanding) { // thrown out of the pass: no idle release would ever free the tasks' slots
                end("the pass failed on the driver");
            }
            if (broadcast != null) {
                broadcast.destroy();
            }
        }
    }

    /** Starts a session's job and waits for its tasks to connect; false (the pass runs as a Spark job) if they do not. */
    private boolean start(JavaRDD<?> cache) {
        int partitions = cache.getNumPartitions();
        String refused = ResidentPassSetting.protectedTraffic(context.getConf());
        if (refused != null) {
            turnOff(refused + ": the passes' HTTP between the driver and the executors would not be protected alike");
            return false;
        }
        if (System.nanoTime() < noSlotsUntil) {
            return false;
        }
        String notResident = executorLost ? "an executor was lost with some of them" : notAllInMemory(cache);
        if (notResident != null) {
            if (!toldNotResident) {
                toldNotResident = true;
                LOG.info("Resident passes are not used for these blocks ({}): passes run as Spark jobs", notResident);
            }
            return false;
        }
        int slots = slotsFreeSoon(partitions);
        if (partitions > slots) {
            if (!toldNoSlots) {
                toldNoSlots = true;
                LOG.info("{} partitions, {} free task slots: passes run as Spark jobs while they do not fit",
                        partitions, slots);
            }
            noSlotsUntil = System.nanoTime() + SLOT_CHECK_BACKOFF_NANOS;
            return false;
        }
        if (server == null) {
            String bind = context.getConf().get("spark.driver.bindAddress",
                    context.getConf().get("spark.driver.host", "localhost"));
            try {
                server = new PassServer(bind);
            } catch (IOException | RuntimeException e) {
                turnOff("the driver could not listen on " + bind + ": " + e.getMessage());
                return false;
            }
            context.addSparkListener(watch);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ClassLoader decodeWith = loader != null ? loader : ResidentPasses.class.getClassLoader();
        session = server.begin(partitions, idleMillis,
                bytes -> ResidentTask.serializer().deserialize(ByteBuffer.wrap(bytes), decodeWith,
                        ResidentTask.anyRef()));
        watch.expect(session);
        String previousSession = context.getLocalProperty(SESSION_PROPERTY);
        String previousDescription = context.getLocalProperty("spark.job.description");
        context.setLocalProperty(SESSION_PROPERTY, Long.toString(session));
        context.setLocalProperty("spark.job.description", "mixspark resident passes over " + partitions
                + " partitions (one job serves many passes)");
        try {
            endedByUs = false;
            @SuppressWarnings("unchecked")
            JavaRDD<Object> blocks = (JavaRDD<Object>) cache;
            job = blocks.foreachPartitionAsync(new ResidentTask(url(), server.token(), session, connectMillis));
        } catch (Exception e) { // thrown undeclared by Spark: the session must not stay busy
            end("the resident job could not start");
            LOG.info("Resident passes could not start ({}): the pass runs as a Spark job", e.toString());
            return false;
        } finally {
            context.setLocalProperty(SESSION_PROPERTY, previousSession);
            context.setLocalProperty("spark.job.description", previousDescription);
        }
        PassServer.Unconnected missing;
        try {
            missing = server.awaitConnected(connectMillis, this::jobEnded);
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (missing != null) {
            stopped(missing.why());
            if (missing.timedOut()) { // only a timeout hints at the network; anything else may pass
                turnOff(missing.why() + " (" + ResidentPassSetting.CONNECT_TIMEOUT_KEY + " = " + connectMillis
                        + " ms; can the executors reach the driver's host on an ephemeral port?)");
            }
            return false;
        }
        return true;
    }

    /**
     * Why the cache is not wholly in executor memory, or null: a resident task holds its partition's
     * blocks in memory for its whole run, including blocks Spark keeps on disk.
     */
    private String notAllInMemory(JavaRDD<?> cache) {
        for (RDDInfo info : context.getRDDStorageInfo()) {
            if (info.id() == cache.id()) {
                if (info.diskSize() > 0) {
                    return "some of the cached blocks are on disk";
                }
                return info.numCachedPartitions() < info.numPartitions()
                        ? info.numCachedPartitions() + " of " + info.numPartitions() + " partitions are cached" : null;
            }
        }
        return "the blocks are not cached";
    }

    /**
     * Free task slots, waiting a little for tasks that have just finished: Spark's status store
     * hears of a task's end shortly after the job that ran it has returned.
     */
    private int slotsFreeSoon(int partitions) {
        int[] slots = taskSlots(context);
        long until = System.nanoTime() + SLOT_WAIT_NANOS;
        while (slots[1] < partitions && partitions <= slots[0] && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ResidentPasses.<RuntimeException>sneaky(e);
            }
            slots = taskSlots(context);
        }
        return slots[1];
    }

    /** The address the tasks post to: the driver's host as the executors know it. */
    private String url() {
        String host = context.getConf().get("spark.driver.host", "localhost");
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + hostPart + ":" + server.port() + PassServer.PATH;
    }

    /** Why the session's job cannot serve any more, when it has ended; null while it runs. */
    private String jobEnded() {
        JavaFutureAction<Void> running = job;
        return running != null && running.isDone() ? "the resident job ended: " + outcomeOf(running) : null;
    }

    /**
     * The session stopped serving: ends it; when the job ended by the caller's cancel (a job-group
     * Cancel), rethrows Spark's exception, as the Spark job of the pass would have thrown it.
     */
    private void stopped(String reason) {
        LOG.info("Resident passes stopped ({}): the pass runs as a Spark job", reason);
        rethrowCallersCancel();
        end(reason);
    }

    /** A cancel of the caller's job group that ended the job between passes stops the next one. */
    private void rethrowCallersCancel() {
        if (job != null && job.isDone() && !endedByUs) {
            Throwable failure = failureOf(job);
            if (failure != null && cancelled(failure)) {
                job = null;
                if (server != null) {
                    server.release();
                }
                throw ResidentPasses.<RuntimeException>sneaky(failure);
            }
        }
    }

    /** Ends the session for an interrupt of the driver's thread; the exception to throw, as Spark's runJob throws it. */
    private RuntimeException interrupted() {
        end("the driver's thread was interrupted");
        return ResidentPasses.<RuntimeException>sneaky(new InterruptedException(
                "the pass over the cached blocks was interrupted"));
    }

    /** Ends the session, cancelling its job if it still runs (its tasks may not have connected). */
    private void end(String reason) {
        endedByUs = true;
        if (server != null) {
            server.release();
        }
        JavaFutureAction<Void> running = job;
        if (running != null && !running.isDone()) {
            for (Integer id : running.jobIds()) {
                context.cancelJob(id, "mixspark resident passes stopped: " + reason);
            }
        }
    }

    private void turnOff(String why) {
        off = true;
        warnings.accept(why + ": passes run as Spark jobs (set " + ResidentPassSetting.KEY
                + "=false to skip the attempt)");
    }

    /** Passes served by resident tasks so far. */
    synchronized long served() {
        return served;
    }

    /**
     * The cache lost blocks with an executor, whichever job was running then (a pass may have been
     * a Spark job at that moment): later passes over these blocks stay Spark jobs, as after a
     * resident task's loss.
     */
    void cacheLostWithAnExecutor() {
        if (!executorLost) {
            executorLost = true;
            LOG.info("The cached blocks were lost with an executor: passes over these blocks stay Spark jobs");
        }
    }

    /** Lets the tasks finish, freeing their slots: before other jobs over the blocks; the next pass starts them again. */
    synchronized void release() {
        if (server != null) {
            endedByUs = true;
            server.release();
        }
    }

    @Override
    public synchronized void close() {
        release();
        if (server != null) {
            context.removeSparkListener(watch);
            server.close();
            server = null;
        }
    }

    private static Throwable failureOf(JavaFutureAction<Void> done) {
        try {
            done.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static String outcomeOf(JavaFutureAction<Void> done) {
        Throwable failure = failureOf(done);
        return failure == null ? "its tasks finished" : String.valueOf(failure.getMessage()).lines().findFirst()
                .orElse(failure.toString());
    }

    private static boolean cancelled(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("cancelled")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Task slots on the executors, all and free now (the driver's own entry left out): each executor's
     * {@code spark.executor.cores} (for {@code local-cluster[N,C,M]}, C; else 1, as on YARN and
     * Kubernetes) divided by {@code spark.task.cpus}, less its running tasks.
     */
    static int[] taskSlots(SparkContext context) {
        SparkConf conf = context.getConf();
        int cores = executorCores(conf, context.master());
        int perTask = Math.max(1, conf.getInt("spark.task.cpus", 1));
        BlockManagerId driver = SparkEnv.get().blockManager().blockManagerId();
        int all = 0;
        int free = 0;
        for (SparkExecutorInfo executor : context.statusTracker().getExecutorInfos()) {
            if (executor.host().equals(driver.host()) && executor.port() == driver.port()) {
                continue;
            }
            all += cores / perTask;
            free += Math.max(0, cores / perTask - executor.numRunningTasks());
        }
        return new int[] {all, free};
    }

    static int executorCores(SparkConf conf, String master) {
        if (conf.contains("spark.executor.cores")) {
            return conf.getInt("spark.executor.cores", 1);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*]").matcher(master);
        return m.matches() ? Integer.parseInt(m.group(1)) : 1;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }

    /** Ends the session when one of its tasks ends while it serves: failed, killed, lost, or unable to reach the driver. */
    private final class Watch extends SparkListener {
        /** The session watched and its stage once submitted (-1 before), published as one. */
        private record Expected(long session, String label, int stage) {
        }

        private final AtomicReference<Expected> expected = new AtomicReference<>();

        void expect(long id) {
            expected.set(new Expected(id, Long.toString(id), -1));
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted event) {
            java.util.Properties properties = event.properties();
            Expected now = expected.get();
            if (properties != null && now != null && now.label().equals(properties.getProperty(SESSION_PROPERTY))) {
                expected.compareAndSet(now, new Expected(now.session(), now.label(), event.stageInfo().stageId()));
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            PassServer serving = server;
            Expected now = expected.get();
            if (now != null && now.stage() >= 0 && event.stageId() == now.stage() && serving != null) {
                if (event.reason() instanceof ExecutorLostFailure) {
                    executorLost = true;
                    LOG.info("An executor serving resident passes was lost: passes over these blocks stay Spark jobs");
                }
                serving.stop(now.session(), "a resident task ended (" + event.reason() + ")");
            }
        }
    }
}
