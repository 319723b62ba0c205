package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        String dead = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), me.pidNamespace(), gone.pid(), goneStart, now - 60_000));
        String live = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), me.pidNamespace(), me.pid(), me.processStart(), now - 60_000));
        String reusedPid = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), me.pidNamespace(), me.pid(), me.processStart() - HOUR,
                now - 60_000));
        String farAndOld = leftover(dir, new OutputDirectory.Owner("elsewhere", null, null, 1, 0, now - 48 * HOUR));
        String farAndRecent = leftover(dir, new OutputDirectory.Owner("elsewhere", null, null, 1, 0, now - HOUR));
        String newer = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), me.pidNamespace(), gone.pid(), goneStart, now + 60_000));

        String target = dir.resolve("out").toString();
        try (OutputDirectory out = new OutputDirectory(target, false, new Configuration())) {
            assertEquals(3, out.notes().size(), out.notes().toString());
            assertTrue(out.notes().get(0).contains("by a run that is no longer live"), out.notes().toString());
        }
        assertEquals(Stream.of(live, farAndRecent, newer).flatMap(run -> Stream.of(run + ".owner", run + ".staging"))
                .sorted().toList(), list(dir), "removed: " + List.of(dead, reusedPid, farAndOld));
    }

    /**
     * Another container with this host name and kernel, whose process ids are not this one's: a
     * run there is live until the stale-after period has passed, as on another host.
     */
    @Test
    void aRunInAnotherContainerWithThisHostNameIsNotJudgedByItsProcessId(@TempDir Path dir) throws Exception {
        OutputDirectory.Owner me = OutputDirectory.Owner.current();
        assumeTrue(me.pidNamespace() != null, "the process id namespace cannot be read here");
        long now = System.currentTimeMillis();
        Process gone = new ProcessBuilder("sleep", "30").start();
        long goneStart = gone.info().startInstant().orElseThrow().toEpochMilli();
        gone.destroyForcibly();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        String recent = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), "pid:[1]", gone.pid(),
                goneStart, now - HOUR));
        String old = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), "pid:[1]", gone.pid(),
                goneStart, now - 48 * HOUR));

        try (OutputDirectory out = new OutputDirectory(dir.resolve("out").toString(), false, new Configuration())) {
            assertEquals(1, out.notes().size(), out.notes().toString());
        }
        assertEquals(List.of(recent + ".owner", recent + ".staging"), list(dir), "removed: " + old);
    }

    /**
     * A killed run's old output, moved aside, is put back only in place of that run's own unmarked
     * output: an unmarked output that another writer put there since is left alone, and so is the
     * old one beside it.
     */
    @Test
    void anOldOutputMovedAsideDoesNotReplaceAnotherWritersOutput(@TempDir Path dir) throws Exception {
        OutputDirectory.Owner me = OutputDirectory.Owner.current();
        Process gone = new ProcessBuilder("sleep", "30").start();
        long goneStart = gone.info().startInstant().orElseThrow().toEpochMilli();
        gone.destroyForcibly();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        String killed = leftover(dir, new OutputDirectory.Owner(me.host(), me.bootId(), me.pidNamespace(),
                gone.pid(), goneStart, System.currentTimeMillis() - 60_000));
        Files.createDirectories(dir.resolve(killed + ".previous"));
        Files.writeString(dir.resolve(killed + ".previous").resolve("content.txt"), "old");
        Path target = Files.createDirectories(dir.resolve("out"));
        Files.writeString(target.resolve("content.txt"), "another writer's");

        try (OutputDirectory out = new OutputDirectory(target.toString(), true, new Configuration())) {
            assertTrue(out.notes().stream().anyMatch(n -> n.contains("left " + killed + ".previous")),
                    out.notes().toString());
        }
        assertEquals("another writer's", Files.readString(target.resolve("content.txt")));
        assertEquals("old", Files.readString(dir.resolve(killed + ".previous").resolve("content.txt")));
    }

    /** A killed run's unmarked output keeps its run's file through the next run's cleanup, so readers refuse it. */
    @Test
    void anUnmarkedOutputStaysKnownAsIncompleteAfterCleanup(@TempDir Path dir) throws Exception {
        OutputDirectory.Owner dead = new OutputDirectory.Owner("elsewhere", null, null, 1, 0,
                System.currentTimeMillis() - 48 * HOUR);
        String killed = leftover(dir, dead);
        String id = killed.substring(".out.".length());
        Files.delete(dir.resolve(killed + ".staging").resolve("model.json"));
        Files.move(dir.resolve(killed + ".staging"), dir.resolve("out"));
        Files.createFile(dir.resolve("out").resolve("_RUN-" + id));
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("out").toString());
        Configuration conf = new Configuration();
        assertThrows(OutputDirectory.IncompleteOutputException.class, () -> OutputDirectory.isMarkedComplete(out, conf));

        assertThrows(OutputDirectory.OutputExistsException.class,
                () -> new OutputDirectory(out.toString(), false, conf).close());
        assertEquals(List.of("out"), list(dir), "the killed run's owner record is removed");
        OutputDirectory.IncompleteOutputException e = assertThrows(OutputDirectory.IncompleteOutputException.class,
                () -> OutputDirectory.isMarkedComplete(out, conf));
        assertTrue(e.getMessage().contains("is an incomplete output"), e.getMessage());
    }

    /** Output names are literals, not patterns: glob characters in one match only itself. */
    @Test
    void anOutputNamedWithGlobCharactersCleansUpOnlyItsOwnRuns(@TempDir Path dir) throws Exception {
        OutputDirectory.Owner dead = new OutputDirectory.Owner("elsewhere", null, null, 1, 0,
                System.currentTimeMillis() - 48 * HOUR);
        String name = "o[u]t{1,2}*?";
        String own = leftover(dir, name, dead);
        String other = leftover(dir, "out1", dead);
        try (OutputDirectory out = new OutputDirectory(dir.resolve(name).toString(), false, new Configuration())) {
            assertEquals(1, out.notes().size(), out.notes().toString());
        }
        assertEquals(List.of(other + ".owner", other + ".staging"), list(dir), "removed: " + own);
    }

    /** A run's owner record and staging directory (with a file in it), as a killed run leaves them. */
    private static String leftover(Path dir, OutputDirectory.Owner owner) throws Exception {
        return leftover(dir, "out", owner);
    }

    private static String leftover(Path dir, String output, OutputDirectory.Owner owner) throws Exception {
        String run = "." + output + "." + UUID.randomUUID();
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
