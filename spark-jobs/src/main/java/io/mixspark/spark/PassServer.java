package io.mixspark.spark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The driver's end of resident passes ({@link ResidentPasses}): an HTTP server (the JDK's own) that
 * hands each pass to the resident tasks and takes their partition results back.
 *
 * <p>A task's every request is one POST that carries the result of the pass it last ran (none on
 * connecting) and is answered with the next pass, once there is one: {@code 200} with the pass's
 * bytes, or {@code 204} when the task should finish (the tasks were released, or no pass came for
 * the idle interval), or {@code 410} when its session is over. A request must carry the server's
 * secret (256 random bits), compared in constant time before anything else of it is read: one
 * without it is answered {@code 403}, and its body is neither read nor decoded.
 *
 * <p>One session at a time: one run of resident tasks, one per partition, serving passes one
 * after the other. Each waiting request holds a server thread.
 */
final class PassServer implements AutoCloseable {

    static final String PATH = "/mixspark/pass";
    static final String TOKEN = "X-MixSpark-Token";
    static final String SESSION = "X-MixSpark-Session";
    static final String PARTITION = "X-MixSpark-Partition";
    /** The pass whose result the body holds; 0 when the task connects. */
    static final String DONE = "X-MixSpark-Done";
    /** The number of the pass a response carries. */
    static final String PASS = "X-MixSpark-Pass";
    /** Present when the body describes the failure of the pass rather than its result. */
    static final String FAILED = "X-MixSpark-Failed";
    static final String KERNEL = "X-MixSpark-Kernel";

    /** Turns a task's result bytes into its partition result; called only for requests with the secret. */
    interface Decoder {
        Object decode(byte[] bytes) throws Exception;
    }

    /** A pass's outcome: each partition's result and kernel, or why the pass stopped (results then null). */
    record Outcome(Object[] results, String[] kernels, String stopped) {
    }

    /** Why a session's tasks did not all connect; {@code timedOut} when they simply took too long. */
    record Unconnected(String why, boolean timedOut) {
    }

    /**
     * Session numbers, unique in the JVM: the listener that watches a session's job knows it by
     * this number only, and several fits (and so servers) may run side by side.
     */
    private static final AtomicLong SESSIONS = new AtomicLong();

    private final HttpServer server;
    private final ExecutorService threads;
    private final String token;
    private final byte[] tokenBytes;

    private long session;
    private boolean open;
    private int size;
    private long idleMillis;
    private Decoder decoder;
    private boolean[] connected;
    private int connectedCount;
    /** Whether the driver is starting the session or waiting for a pass: no idle release meanwhile. */
    private boolean busy;
    private long idleSince;
    private long pass;
    private byte[] passBytes;
    private Object[] results;
    private boolean[] in;
    private String[] kernels;
    private int arrived;
    private String stopped;

    static {
        // Without TCP_NODELAY each answer, written as headers then body, waits out the peer's delayed
        // ACK (about 40 ms on Linux): more than a whole pass over few rows. Read once, by the first server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Binds to this address and an ephemeral port. */
    PassServer(String bindHost) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        AtomicInteger named = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable, "mixspark-resident-passes-" + named.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(bindHost, 0), 0);
        server.createContext(PATH, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The secret every request must carry. */
    String token() {
        return token;
    }

    /** Opens a session for this many tasks, ending any previous one; returns its number. */
    synchronized long begin(int partitions, long idleMillis, Decoder decoder) {
        session = SESSIONS.incrementAndGet();
        open = true;
        size = partitions;
        this.idleMillis = idleMillis;
        this.decoder = decoder;
        connected = new boolean[partitions];
        connectedCount = 0;
        busy = true;
        pass = 0;
        passBytes = null;
        results = null;
        stopped = null;
        notifyAll();
        return session;
    }

    /** Whether the session is still serving (not released, stopped or idle). */
    synchronized boolean serving(long id) {
        return open && session == id;
    }

    /**
     * Waits until every task of the session has connected: null then, else why not (the timeout, a
     * stop, or {@code trouble}'s answer, asked every few milliseconds).
     */
    synchronized Unconnected awaitConnected(long timeoutMillis, Supplier<String> trouble) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (open && connectedCount < size) {
            String why = trouble.get();
            if (why != null) {
                return new Unconnected(why, false);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return new Unconnected(connectedCount + " of " + size
                        + " resident tasks connected to the driver within " + timeoutMillis + " ms", true);
            }
            wait(Math.min(left, 20));
        }
        return open ? null : new Unconnected(stopped, false);
    }

    /**
     * Hands the pass to the session's tasks and waits for every partition's result. Stops, with the
     * reason in the outcome, when the session ends, a task reports a failure, or {@code trouble}
     * answers; an interrupt throws.
     */
    synchronized Outcome run(byte[] bytes, Supplier<String> trouble) throws InterruptedException {
        if (!open) {
            return new Outcome(null, null, stopped == null ? "the resident tasks were released" : stopped);
        }
        busy = true;
        pass++;
        passBytes = bytes;
        results = new Object[size];
        in = new boolean[size];
        kernels = new String[size];
        arrived = 0;
        notifyAll();
        while (open && arrived < size) {
            String why = trouble.get();
            if (why != null) {
                return new Outcome(null, null, why);
            }
            wait(20);
        }
        if (!open) {
            return new Outcome(null, null, stopped);
        }
        busy = false;
        idleSince = System.nanoTime();
        passBytes = null;
        notifyAll(); // the waiting tasks' idle interval starts now
        Object[] out = results;
        results = null;
        return new Outcome(out, kernels, null);
    }

    /** Ends the session: waiting tasks are told to finish, and later requests of it are turned away. */
    synchronized void release() {
        end("the resident tasks were released");
    }

    /** Ends the session if it is this one and still open, for this reason. */
    synchronized void stop(long id, String reason) {
        if (session == id && open) {
            end(reason);
        }
    }

    private void end(String reason) {
        if (open) {
            open = false;
            stopped = reason;
            passBytes = null;
            results = null;
            notifyAll();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String given = exchange.getRequestHeaders().getFirst(TOKEN);
            if (given == null || !MessageDigest.isEqual(tokenBytes, given.getBytes(StandardCharsets.US_ASCII))) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            long id;
            int partition;
            long done;
            try {
                id = Long.parseLong(exchange.getRequestHeaders().getFirst(SESSION));
                partition = Integer.parseInt(exchange.getRequestHeaders().getFirst(PARTITION));
                done = Long.parseLong(exchange.getRequestHeaders().getFirst(DONE));
            } catch (NumberFormatException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String failure = exchange.getRequestHeaders().containsKey(FAILED)
                    ? new String(body, StandardCharsets.UTF_8) : null;
            Object result = null;
            Decoder decode = decoderOf(id, partition);
            if (decode == null) {
                exchange.sendResponseHeaders(410, -1);
                return;
            }
            if (done > 0 && failure == null) {
                try {
                    result = decode.decode(body);
                } catch (Exception e) {
                    failure = "the result of partition " + partition + " could not be read: " + e;
                }
            }
            long next;
            byte[] bytes;
            synchronized (this) {
                take(id, partition, done, result, failure, exchange.getRequestHeaders().getFirst(KERNEL));
                try {
                    while (open && session == id && pass <= done) {
                        if (busy) {
                            wait();
                        } else {
                            long left = idleMillis - (System.nanoTime() - idleSince) / 1_000_000L;
                            if (left <= 0) {
                                end("no pass came for " + idleMillis + " ms");
                                break;
                            }
                            wait(left);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                boolean serves = open && session == id && pass > done;
                next = pass;
                bytes = serves ? passBytes : null;
            }
            if (bytes == null) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            exchange.getResponseHeaders().add(PASS, Long.toString(next));
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The session's decoder when the request belongs to the open session, else null. */
    private synchronized Decoder decoderOf(long id, int partition) {
        return open && session == id && partition >= 0 && partition < size ? decoder : null;
    }

    /** Records a connection or a result of the current pass; a failure ends the session. */
    private void take(long id, int partition, long done, Object result, String failure, String kernel) {
        if (!open || session != id) {
            return;
        }
        if (done == 0) {
            if (!connected[partition]) {
                connected[partition] = true;
                connectedCount++;
                notifyAll();
            }
            return;
        }
        if (done != pass || results == null) {
            return;
        }
        if (failure != null) {
            end("partition " + partition + " failed: " + failure);
            return;
        }
        if (!in[partition]) {
            in[partition] = true;
            results[partition] = result;
            kernels[partition] = kernel;
            arrived++;
            notifyAll();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
