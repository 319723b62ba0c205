package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What {@code --master} accepts before Spark starts, without starting Spark. */
class MasterUrlTest {

    @Test
    void acceptsTheLocalFormsSparkParses() {
        for (String url : new String[] {"local", "local[4]", "local[*]", "local[2,3]", "local[*, 2]",
                "local-cluster[2,1,1024]"}) {
            assertDoesNotThrow(() -> MasterUrl.check(url), url);
        }
    }

    @Test
    void refusesWhatSparkCannotParse() {
        for (String url : new String[] {"bogus://x", "local[two]", "yarn-cluster", "spark://host", "spark://:7077",
                "spark://host:7077/path"}) {
            assertThrows(Validation.UsageException.class, () -> MasterUrl.check(url), url);
        }
    }

    @Test
    void oneListeningMasterOfSeveralIsEnough() throws IOException {
        try (ServerSocket open = new ServerSocket(0)) {
            int closed = closedPort();
            assertDoesNotThrow(() -> MasterUrl.check("spark://127.0.0.1:" + closed + ",127.0.0.1:"
                    + open.getLocalPort()));
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> MasterUrl.check("spark://127.0.0.1:" + closed));
            assertTrue(e.getCause().getMessage().startsWith("could not reach the Spark master at spark://127.0.0.1:"
                    + closed + " (127.0.0.1:" + closed + ": Connection refused"), e.getCause().getMessage());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
