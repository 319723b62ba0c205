package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run removes the staging directories that earlier runs of its output left behind when their
 * owners are no longer live, and leaves live ones alone: on this host, a run lives while its
 * process does; on another host, until the stale-after period has passed since it began.
 */
class StagingCleanupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;

    @Test
    void staleStagingDirectoriesGoAndLiveOnesStay(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        OutputDirectory.Owner me = OutputDirectory.Owner.current();

        Process gone = new ProcessBuilder("sleep", "30").start();
        long goneStart = gone.info().startInstant().orElseThrow().toEpochMilli();
        gone.destroyForcibly();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        String dead = leftover(dir, new OutputDirectory.Owner(me.host(), gone.pid(), goneStart, now - 60_000));
        String live = leftover(dir, new OutputDirectory.Owner(me.host(), me.pid(), me.processStart(), now - 60_000));
        String reusedPid = leftover(dir, new OutputDirectory.Owner(me.host(), me.pid(), me.processStart() - HOUR,
                now - 60_000));
        String farAndOld = leftover(dir, new OutputDirectory.Owner("elsewhere", 1, 0, now - 48 * HOUR));
        String farAndRecent = leftover(dir, new OutputDirectory.Owner("elsewhere", 1, 0, now - HOUR));
        String newer = leftover(dir, new OutputDirectory.Owner(me.host(), gone.pid(), goneStart, now + 60_000));

        String target = dir.resolve("out").toString();
        try (OutputDirectory out = new OutputDirectory(target, false, new Configuration())) {
            assertEquals(3, out.notes().size(), out.notes().toString());
            assertTrue(out.notes().get(0).contains("by a run that is no longer live"), out.notes().toString());
        }
        assertEquals(Stream.of(live, farAndRecent, newer).flatMap(run -> Stream.of(run + ".owner", run + ".staging"))
                .sorted().toList(), list(dir), "removed: " + List.of(dead, reusedPid, farAndOld));
    }

    /** A run's owner record and staging directory (with a file in it), as a killed run leaves them. */
    private static String leftover(Path dir, OutputDirectory.Owner owner) throws Exception {
        String run = ".out." + UUID.randomUUID();
        Files.write(dir.resolve(run + ".owner"), JSON.writeValueAsBytes(owner));
        Files.createDirectories(dir.resolve(run + ".staging"));
        Files.writeString(dir.resolve(run + ".staging").resolve("model.json"), "{}");
        return run;
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }
}
