package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.DataBlock;
import io.mixspark.data.FloatBlock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A resident task: the executor's end of {@link ResidentPasses}. It holds its partition's cached
 * blocks (references into Spark's cache, no copies) and serves passes from the driver's
 * {@link PassServer} until told to finish: each answer to its request is a pass, which it folds
 * over the blocks with the code of a Spark pass ({@link SparkBlockData.FoldPartition}) and posts
 * back with its next request. A pass that fails posts the failure instead. It finishes, normally,
 * when the driver releases it or cannot be reached, and at once when Spark kills it.
 */
final class ResidentTask implements VoidFunction<java.util.Iterator<Object>> {

    private static final long serialVersionUID = 1L;

    /** One client per connect timeout and executor JVM: a client keeps a thread and its connections. */
    private static final Map<Long, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private static final SparkBlockData.Fold<Object, Object> FOLD = (pass, acc, block) ->
            block instanceof FloatBlock f ? pass.add(acc, f) : pass.add(acc, (DataBlock) block);

    private final String url;
    private final String token;
    private final long session;
    private final long connectTimeoutMillis;

    ResidentTask(String url, String token, long session, long connectTimeoutMillis) {
        this.url = url;
        this.token = token;
        this.session = session;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public void call(java.util.Iterator<Object> partition) {
        TaskContext task = TaskContext.get();
        List<Object> blocks = new ArrayList<>();
        partition.forEachRemaining(blocks::add);
        HttpClient client = CLIENTS.computeIfAbsent(connectTimeoutMillis, millis -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(Math.max(1, millis))).build());
        long done = 0;
        byte[] body = new byte[0];
        String kernel = null;
        boolean failed = false;
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header(PassServer.TOKEN, token)
                    .header(PassServer.SESSION, Long.toString(session))
                    .header(PassServer.PARTITION, Integer.toString(task.partitionId()))
                    .header(PassServer.DONE, Long.toString(done))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (failed) {
                request.header(PassServer.FAILED, "true");
            }
            if (kernel != null) {
                request.header(PassServer.KERNEL, kernel);
            }
            HttpResponse<byte[]> response = await(client.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofByteArray()), task);
            if (response == null || response.statusCode() != 200) {
                return;
            }
            done = Long.parseLong(response.headers().firstValue(PassServer.PASS).orElseThrow());
            try {
                BlockAggregator<Object> pass = pass(response.body());
                kernel = pass.kernelUsed();
                Object result = new SparkBlockData.FoldPartition<>(pass, null, FOLD, null).foldAll(blocks.iterator());
                body = JavaUtils.bufferToArray(serializer().serialize(result, anyRef()));
                failed = false;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // reported to the driver, which runs the pass as a Spark job
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                body = trace.toString().getBytes(StandardCharsets.UTF_8);
                kernel = null;
                failed = true;
            }
        }
    }

    /** The pass shipped: the aggregator itself, or a broadcast of it when it is large. */
    @SuppressWarnings("unchecked")
    private static BlockAggregator<Object> pass(byte[] bytes) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Object shipped = serializer().deserialize(ByteBuffer.wrap(bytes),
                loader != null ? loader : ResidentTask.class.getClassLoader(), anyRef());
        return shipped instanceof Broadcast<?> b ? (BlockAggregator<Object>) b.value() : (BlockAggregator<Object>) shipped;
    }

    /**
     * The driver's answer, or null when it cannot be reached (the task then finishes); a kill by
     * Spark, which need not interrupt the thread, ends the wait within a tenth of a second.
     */
    private static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> answer, TaskContext task) {
        while (true) {
            try {
                return answer.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (task.isInterrupted()) {
                    answer.cancel(true);
                    task.killTaskIfInterrupted();
                }
            } catch (ExecutionException e) {
                return null;
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                task.killTaskIfInterrupted();
                return null;
            }
        }
    }

    static SerializerInstance serializer() {
        return SparkEnv.get().closureSerializer().newInstance();
    }

    @SuppressWarnings("unchecked")
    static <A> ClassTag<A> anyRef() {
        return (ClassTag<A>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    }
}
