package io.mixspark.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A job's output directory on any Hadoop file system, written atomically: everything goes to a
 * hidden staging directory beside the target, which is renamed into place only on success. A
 * failed run leaves the target untouched and removes its staging directory.
 */
public final class OutputDirectory implements AutoCloseable {

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private boolean committed;

    /**
     * @throws OutputExistsException if the target exists and {@code overwrite} is false
     */
    public OutputDirectory(String target, boolean overwrite, Configuration conf) throws IOException {
        this.target = new Path(target);
        this.fs = this.target.getFileSystem(conf);
        this.overwrite = overwrite;
        if (fs.exists(this.target) && !overwrite) {
            throw new OutputExistsException("output " + target + " already exists; pass --overwrite to replace it");
        }
        Path parent = this.target.getParent();
        this.staging = new Path(parent, "." + this.target.getName() + ".staging-" + UUID.randomUUID());
        fs.mkdirs(staging);
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

    /** Moves the staging directory into place, replacing an old target only now. */
    public void commit() throws IOException {
        if (fs.exists(target)) {
            if (!overwrite) {
                throw new OutputExistsException("output " + target + " appeared while the job ran");
            }
            fs.delete(target, true);
        }
        if (!fs.rename(staging, target)) {
            throw new IOException("could not move " + staging + " to " + target);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            fs.delete(staging, true);
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
