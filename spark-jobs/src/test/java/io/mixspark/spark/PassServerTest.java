package io.mixspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The driver's end of resident passes, spoken to over real HTTP as the tasks speak to it: no Spark. */
class PassServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<byte[]> post(PassServer server, String token, long session, int partition, long done,
                                      String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + PassServer.PATH))
                .header(PassServer.SESSION, Long.toString(session))
                .header(PassServer.PARTITION, Integer.toString(partition))
                .header(PassServer.DONE, Long.toString(done))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header(PassServer.TOKEN, token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aRequestWithoutTheSecretIsRefusedBeforeItsBodyIsDecoded() throws Exception {
        List<String> decoded = new CopyOnWriteArrayList<>();
        try (PassServer server = new PassServer("127.0.0.1")) {
            long session = server.begin(1, 60_000, bytes -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                decoded.add(text);
                return text;
            });
            // The task connects, and its request is answered with the first pass.
            CompletableFuture<HttpResponse<byte[]>> connect = CompletableFuture.supplyAsync(() -> call(() ->
                    post(server, server.token(), session, 0, 0, "")));
            assertNull(server.awaitConnected(10_000, () -> null));
            CompletableFuture<PassServer.Outcome> pass = CompletableFuture.supplyAsync(() -> call(() ->
                    server.run("pass one".getBytes(StandardCharsets.UTF_8), () -> null)));
            HttpResponse<byte[]> first = connect.get(10, TimeUnit.SECONDS);
            assertEquals(200, first.statusCode());
            assertArrayEquals("pass one".getBytes(StandardCharsets.UTF_8), first.body());
            assertEquals("1", first.headers().firstValue(PassServer.PASS).orElseThrow());

            String forged = server.token().substring(1) + (server.token().charAt(0) == 'A' ? "B" : "A");
            assertEquals(403, post(server, forged, session, 0, 1, "forged result").statusCode());
            assertEquals(403, post(server, null, session, 0, 1, "forged result").statusCode());
            assertEquals(List.of(), decoded, "nothing of a refused request was decoded");

            // The same request with the secret: its result is decoded and ends the pass; no pass
            // follows within the idle interval of 60 s, so it waits until the server is closed.
            CompletableFuture<HttpResponse<byte[]>> next = CompletableFuture.supplyAsync(() -> call(() ->
                    post(server, server.token(), session, 0, 1, "the result")));
            PassServer.Outcome outcome = pass.get(10, TimeUnit.SECONDS);
            assertNull(outcome.stopped());
            assertArrayEquals(new Object[] {"the result"}, outcome.results());
            assertEquals(List.of("the result"), decoded);
            server.release();
            assertEquals(204, next.get(10, TimeUnit.SECONDS).statusCode(), "a released task is told to finish");
            assertEquals(410, post(server, server.token(), session, 0, 1, "late").statusCode());
        }
    }

    @Test
    void tasksAreToldToFinishWhenNoPassComesForTheIdleInterval() throws Exception {
        try (PassServer server = new PassServer("127.0.0.1")) {
            long session = server.begin(1, 100, bytes -> new String(bytes, StandardCharsets.UTF_8));
            CompletableFuture<HttpResponse<byte[]>> connect = CompletableFuture.supplyAsync(() -> call(() ->
                    post(server, server.token(), session, 0, 0, "")));
            assertNull(server.awaitConnected(10_000, () -> null));
            CompletableFuture<PassServer.Outcome> pass = CompletableFuture.supplyAsync(() -> call(() ->
                    server.run(new byte[] {1}, () -> null)));
            assertEquals(200, connect.get(10, TimeUnit.SECONDS).statusCode());
            long start = System.nanoTime();
            HttpResponse<byte[]> idle = post(server, server.token(), session, 0, 1, "done");
            assertNull(pass.get(10, TimeUnit.SECONDS).stopped());
            assertEquals(204, idle.statusCode());
            assertTrue(!server.serving(session));
            double waited = (System.nanoTime() - start) / 1e9;
            assertTrue(waited >= 0.09, "released after the idle interval, not before: " + waited + " s");
            assertEquals("no pass came for 100 ms", server.run(new byte[] {2}, () -> null).stopped());
        }
    }

    /** Two fits side by side each have a server: their sessions never share a number, which names a session's job. */
    @Test
    void sessionNumbersAreUniqueAcrossServers() throws Exception {
        try (PassServer one = new PassServer("127.0.0.1"); PassServer other = new PassServer("127.0.0.1")) {
            long first = one.begin(1, 60_000, bytes -> bytes);
            long second = other.begin(1, 60_000, bytes -> bytes);
            assertNotEquals(first, second);
            assertEquals(410, post(other, other.token(), first, 0, 0, "").statusCode(),
                    "the other server's session is not this one");
        }
    }

    /** Only tasks that take too long to connect are a timeout; a job that ended, or a stop, is not. */
    @Test
    void aConnectTimeoutIsToldApartFromOtherFailures() throws Exception {
        try (PassServer server = new PassServer("127.0.0.1")) {
            server.begin(2, 60_000, bytes -> bytes);
            PassServer.Unconnected slow = server.awaitConnected(30, () -> null);
            assertTrue(slow.timedOut(), slow.toString());
            assertEquals("0 of 2 resident tasks connected to the driver within 30 ms", slow.why());

            server.begin(2, 60_000, bytes -> bytes);
            PassServer.Unconnected ended = server.awaitConnected(10_000, () -> "the resident job ended: lost");
            assertFalse(ended.timedOut(), ended.toString());
            assertEquals("the resident job ended: lost", ended.why());

            long session = server.begin(2, 60_000, bytes -> bytes);
            server.stop(session, "a resident task ended");
            PassServer.Unconnected stopped = server.awaitConnected(10_000, () -> null);
            assertFalse(stopped.timedOut(), stopped.toString());
            assertEquals("a resident task ended", stopped.why());
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> body) {
        try {
            return body.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
