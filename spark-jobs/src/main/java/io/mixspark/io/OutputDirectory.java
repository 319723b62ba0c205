package io.mixspark.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A job's output directory on any Hadoop file system. Everything goes to a hidden staging
 * directory beside the target; on success the staging directory is renamed into place (an old
 * target is first renamed aside, and deleted only once the new one is in place), and a
 * {@code _SUCCESS} marker is written into it last, as Hadoop's committers do, so a reader can tell
 * a complete output. A failed run leaves the target untouched and removes its staging directory.
 *
 * <p>Each run records its owner (host, boot, process id namespace, process id and start times)
 * in a hidden file beside its staging directory. A run killed outright cannot remove its own: the
 * next run of the same output removes the leftovers of every earlier run that is no longer live
 * (see {@link Owner#isLive}), and puts back an old output that a killed replacement had moved
 * aside before the new one was marked complete, in place of that replacement only: the staging
 * directory carries a {@code _RUN-<run id>} file into place, deleted once the output is marked
 * (and kept while it is not, so readers refuse it: {@link #isMarkedComplete}).
 * docs/ERRORS.md says what this guarantees on each kind of file system.
 */
public final class OutputDirectory implements AutoCloseable {

    /** The marker written last into a complete output. */
    public static final String SUCCESS = "_SUCCESS";
    /**
     * Hadoop setting: hours after which a run on another host counts as dead, whose process this
     * host cannot see (default {@value #DEFAULT_STALE_HOURS}).
     */
    public static final String STALE_HOURS = "mixspark.output.staleAfterHours";
    static final long DEFAULT_STALE_HOURS = 24;
    /** Names the run whose staging directory became the output; hidden from Hadoop readers by its "_". */
    private static final String RUN_MARKER = "_RUN-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The steps of a commit, at which a test's {@link StepHook} can stop the process. */
    enum Step {
        /** The staging directory holds the whole new output. */
        STAGED,
        /** An old target has been renamed aside. */
        OLD_MOVED_ASIDE,
        /** The staging directory has the target's name. */
        MOVED_INTO_PLACE,
        /** The target holds its {@code _SUCCESS} marker. */
        MARKED,
        /** The old target and the owner record are deleted. */
        CLEANED
    }

    /** Hears each step of a commit. */
    interface StepHook {
        void reached(Step step);
    }

    private final FileSystem fs;
    private final Path target;
    /** The directory the target and the hidden files of its runs sit in. */
    private final Path parent;
    private final Path staging;
    private final Path previous;
    private final Path owner;
    private final String runId;
    private final boolean overwrite;
    private final StepHook hook;
    private final List<String> notes = new ArrayList<>();
    private boolean committed;

    /**
     * @throws OutputExistsException if the target exists and {@code overwrite} is false
     */
    public OutputDirectory(String target, boolean overwrite, Configuration conf) throws IOException {
        this(target, overwrite, conf, step -> { });
    }

    OutputDirectory(String target, boolean overwrite, Configuration conf, StepHook hook) throws IOException {
        this.target = new Path(target);
        this.fs = this.target.getFileSystem(conf);
        this.parent = fs.makeQualified(this.target).getParent();
        this.overwrite = overwrite;
        this.hook = hook;
        Owner me = Owner.current();
        cleanUp(me, conf.getLong(STALE_HOURS, DEFAULT_STALE_HOURS) * 3_600_000L);
        if (fs.exists(this.target) && !overwrite) {
            throw new OutputExistsException("output " + target + " already exists; pass --overwrite to replace it");
        }
        this.runId = UUID.randomUUID().toString();
        this.owner = sibling(runId, "owner");
        this.staging = sibling(runId, "staging");
        this.previous = sibling(runId, "previous");
        // The owner record first: a staging directory never exists without one.
        try (OutputStream out = fs.create(owner, false)) {
            out.write(JSON.writeValueAsBytes(me));
        }
        fs.mkdirs(staging);
    }

    /**
     * Whether a directory a reader is given (a fit's output, say) is marked complete. Outputs of
     * builds before the marker, and directories written by other means, are not: the caller
     * decides whether to warn.
     *
     * @throws IncompleteOutputException for an output a run moved into place and did not mark
     *                                   complete: it was killed then, or is still finishing
     */
    public static boolean isMarkedComplete(Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (fs.exists(new Path(dir, SUCCESS))) {
            return true;
        }
        FileStatus[] runs = fs.globStatus(new Path(dir, RUN_MARKER + "*"));
        if (runs != null && runs.length > 0) {
            throw new IncompleteOutputException(dir + " is an incomplete output: the run writing it was killed or is"
                    + " still finishing (it holds its run's " + runs[0].getPath().getName() + " file and no "
                    + SUCCESS + " marker); if no run is writing it, rerun the command that wrote it with"
                    + " --overwrite");
        }
        return false;
    }

    private Path sibling(String run, String kind) {
        return new Path(parent, "." + target.getName() + "." + run + "." + kind);
    }

    /** What the constructor cleaned up after earlier runs, one sentence each, for warnings. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Refuses an output that is, contains or lies inside one of a command's inputs (its table, a
     * model it reads), compared as fully qualified paths on their file systems: replacing it
     * would destroy what the command reads, whatever --overwrite says.
     *
     * @param inputs the inputs' paths; null entries are skipped
     * @throws IllegalArgumentException naming the input
     */
    public static void requireApart(String output, Configuration conf, String... inputs) throws IOException {
        Path out = qualified(output, conf);
        for (String input : inputs) {
            if (input == null) {
                continue;
            }
            Path in = qualified(input, conf);
            String o = out.toString();
            String i = in.toString();
            if (o.equals(i) || i.startsWith(o + "/") || o.startsWith(i + "/")) {
                throw new IllegalArgumentException("the output " + output + " overlaps the input " + input
                        + " (the same path, or one inside the other); writing it would destroy what the job reads;"
                        + " choose another output");
            }
        }
    }

    private static Path qualified(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        // Resolve symbolic links where the file system knows the path, so two spellings compare equal.
        return fs.exists(q) ? fs.resolvePath(q) : q;
    }

    /** The URI of the staging directory itself, for a job whose output is one Spark data set. */
    public String root() {
        return staging.toString();
    }

    /** The URI of a path inside the staging directory, for Spark writers. */
    public String path(String child) {
        return new Path(staging, child).toString();
    }

    /** Writes a small UTF-8 text file inside the staging directory. */
    public void writeText(String child, String text) {
        try (OutputStream out = fs.create(new Path(staging, child), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + new Path(target, child), e);
        }
    }

    /**
     * Moves the staging directory into place and marks it complete. An old target is renamed
     * aside first and deleted only once the new one is marked.
     */
    public void commit() throws IOException {
        // A Spark writer may have marked the staging directory; the marker goes in last, below.
        fs.delete(new Path(staging, SUCCESS), false);
        fs.create(new Path(staging, RUN_MARKER + runId), true).close();
        hook.reached(Step.STAGED);
        boolean replacing = fs.exists(target);
        if (replacing) {
            if (!overwrite) {
                throw new OutputExistsException("output " + target + " appeared while the job ran");
            }
            rename(target, previous);
        }
        hook.reached(Step.OLD_MOVED_ASIDE);
        rename(staging, target);
        hook.reached(Step.MOVED_INTO_PLACE);
        fs.create(new Path(target, SUCCESS), true).close();
        committed = true;
        hook.reached(Step.MARKED);
        if (replacing) {
            fs.delete(previous, true);
        }
        fs.delete(new Path(target, RUN_MARKER + runId), false);
        fs.delete(owner, false);
        hook.reached(Step.CLEANED);
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("could not move " + from + " to " + to);
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            fs.delete(staging, true);
            if (fs.exists(previous)) {
                // The new output was moved into place but not marked: put the old one back.
                putBack(previous, runId);
            }
            fs.delete(owner, false);
        }
    }

    /**
     * Removes what earlier runs of this output left beside it when they are no longer live: their
     * staging directories and owner records, and an old output moved aside, which is put back when
     * the new one was not marked complete.
     */
    private void cleanUp(Owner me, long staleAfterMillis) throws IOException {
        if (parent == null) {
            return;
        }
        Pattern leftover = Pattern.compile("\\." + Pattern.quote(target.getName())
                + "\\.([0-9a-f-]{36})\\.(owner|staging|previous)");
        Map<String, Map<String, FileStatus>> runs = new LinkedHashMap<>();
        // Only this output's hidden siblings: the parent may hold many other files.
        FileStatus[] siblings = fs.globStatus(new Path(parent, "." + globEscaped(target.getName()) + ".*"));
        for (FileStatus status : siblings == null ? new FileStatus[0] : siblings) {
            Matcher m = leftover.matcher(status.getPath().getName());
            if (m.matches()) {
                runs.computeIfAbsent(m.group(1), id -> new LinkedHashMap<>()).put(m.group(2), status);
            }
        }
        for (Map.Entry<String, Map<String, FileStatus>> entry : runs.entrySet()) {
            String id = entry.getKey();
            Map<String, FileStatus> run = entry.getValue();
            if (!isStale(run, me, staleAfterMillis)) {
                continue;
            }
            FileStatus moved = run.get("previous");
            if (moved != null) {
                if (fs.exists(new Path(target, SUCCESS))) {
                    fs.delete(moved.getPath(), true);
                } else if (putBack(moved.getPath(), id)) {
                    notes.add("a run killed while replacing " + target + " had moved the old output aside; it is back"
                            + " in place");
                } else {
                    notes.add("left " + moved.getPath().getName() + " beside " + target + ": the old output a killed"
                            + " run had moved aside, not put back since " + target + " is not that run's output;"
                            + " move it back by hand if it is wanted");
                }
            }
            if (fs.exists(new Path(target, SUCCESS))) {
                // Killed after marking: done. Unmarked, the run's file stays to tell readers so.
                fs.delete(new Path(target, RUN_MARKER + id), false);
            }
            FileStatus staged = run.get("staging");
            if (staged != null) {
                fs.delete(staged.getPath(), true);
                notes.add("removed " + staged.getPath().getName() + ", left beside " + target + " by a run that is no"
                        + " longer live");
            }
            if (run.containsKey("owner")) {
                fs.delete(run.get("owner").getPath(), false);
            }
        }
    }

    /**
     * Puts an old output, moved aside by the given run, back in place of that run's unmarked output
     * (or of none). Another writer's output is left alone.
     *
     * @return whether it was put back
     */
    private boolean putBack(Path moved, String runId) throws IOException {
        if (fs.exists(target)) {
            if (!fs.exists(new Path(target, RUN_MARKER + runId))) {
                return false;
            }
            fs.delete(target, true);
        }
        rename(moved, target);
        return true;
    }

    /** A file name as a literal in a Hadoop glob pattern. */
    private static String globEscaped(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{},^-])", "\\\\$1");
    }

    private boolean isStale(Map<String, FileStatus> run, Owner me, long staleAfterMillis) {
        FileStatus record = run.get("owner");
        if (record == null) {
            // Owner records are written first and deleted last: without one, the run ended long ago
            // or is being cleaned up right now by another.
            long newest = run.values().stream().mapToLong(FileStatus::getModificationTime).max().orElse(0);
            return newest < me.started() - staleAfterMillis;
        }
        Owner other;
        try (InputStream in = fs.open(record.getPath())) {
            other = JSON.readValue(in, Owner.class);
        } catch (IOException e) {
            // Unreadable: written by a run killed while creating it, or gone since the listing.
            return record.getModificationTime() < me.started() - staleAfterMillis;
        }
        return other.started() < me.started() && !other.isLive(me, staleAfterMillis);
    }

    /**
     * Who runs a job: the host name, the boot id and process id namespace (null where they cannot
     * be read), the process id and the process's start time (which tells a reused process id
     * apart), and when the job began.
     */
    record Owner(String host, String bootId, String pidNamespace, long pid, long processStart, long started) {

        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(hostName(), readBootId(), readPidNamespace(), self.pid(), startOf(self),
                    System.currentTimeMillis());
        }

        /** The kernel's id for this boot (Linux), or null where it cannot be read. */
        private static String readBootId() {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).trim();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The process id namespace (Linux: {@code pid:[inode]}), or null where it cannot be read. */
        private static String readPidNamespace() {
            try {
                return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * Whether the job may still be running, as seen from {@code me}: where this process sees
         * the other's (the same host name, boot and process id namespace, so containers that
         * share a host name are told apart), while a process with its id and start time exists;
         * elsewhere, until {@code staleAfterMillis} after it began. A boot or namespace id that
         * either side could not read (or an earlier build did not record) is not compared.
         */
        boolean isLive(Owner me, long staleAfterMillis) {
            if (host.equals(me.host) && sameOrUnknown(bootId, me.bootId)
                    && sameOrUnknown(pidNamespace, me.pidNamespace)) {
                return ProcessHandle.of(pid).map(p -> Math.abs(startOf(p) - processStart) < 1000).orElse(false);
            }
            return me.started - started < staleAfterMillis;
        }

        private static boolean sameOrUnknown(String a, String b) {
            return a == null || b == null || a.equals(b);
        }

        private static long startOf(ProcessHandle process) {
            return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }

    /** An output a run moved into place and did not mark complete. */
    public static final class IncompleteOutputException extends IOException {
        private static final long serialVersionUID = 1L;

        public IncompleteOutputException(String message) {
            super(message);
        }
    }

    /** The output exists and may not be overwritten. */
    public static final class OutputExistsException extends IOException {
        private static final long serialVersionUID = 1L;

        public OutputExistsException(String message) {
            super(message);
        }
    }
}
