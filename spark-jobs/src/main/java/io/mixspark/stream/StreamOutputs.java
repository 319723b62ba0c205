package io.mixspark.stream;

import io.mixspark.io.OutputDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A stream's output directory, kept current while the query runs. The stream's first write claims
 * the directory as fit's output commit does ({@link OutputDirectory}): model.json, metrics.json and
 * {@code _SUCCESS} go to a staging directory beside it, an existing output is moved aside, the
 * staging directory renamed into place and the old output deleted, so no file of a replaced output
 * (its {@code _SUCCESS} marker included) ever sits beside the stream's own. Whether that happened
 * is kept in the saved {@link StreamProgress}, not taken from {@code --overwrite}: a restart
 * repeats the claim until it is recorded.
 *
 * <p>Later writes replace model.json and metrics.json each through a hidden file beside them
 * renamed over the old one (an atomic replace on HDFS and local disks), so a reader always sees a
 * whole file.
 */
final class StreamOutputs {

    private static final String MODEL = "model.json";
    private static final String METRICS = "metrics.json";

    private final Configuration conf;
    private final FileContext files;
    private final Path dir;

    StreamOutputs(String dir, Configuration conf) throws IOException {
        this.conf = conf;
        this.dir = new Path(dir);
        this.files = FileContext.getFileContext(this.dir.toUri(), conf);
        if (files.util().exists(this.dir) && files.getFileStatus(this.dir).isDirectory()) {
            removeLeftovers();
        }
    }

    /** The output's fully qualified path, as a stream's saved state records it. */
    static String qualified(String dir, Configuration conf) throws IOException {
        Path path = new Path(dir);
        return path.getFileSystem(conf).makeQualified(path).toString();
    }

    /**
     * For a stream that starts afresh: an existing, non-empty output is refused without
     * {@code overwrite}; with it, it is replaced by the first write.
     */
    static void requireFresh(String dir, boolean overwrite, Configuration conf) throws IOException {
        Path path = new Path(dir);
        FileContext context = FileContext.getFileContext(path.toUri(), conf);
        if (!context.util().exists(path) || context.util().listStatus(path).length == 0) {
            return;
        }
        if (!overwrite) {
            throw new OutputDirectory.OutputExistsException("output " + dir + " already exists and the checkpoint"
                    + " holds no state of a stream writing it; pass --overwrite to replace it (a stopped stream"
                    + " continues with its own --checkpoint-dir)");
        }
        if (!context.getFileStatus(path).isDirectory()) {
            throw new OutputDirectory.OutputExistsException("output " + dir + " is a file, not a directory; give"
                    + " another --output");
        }
    }

    /**
     * Replaces whatever is at the output with a directory holding just model.json, metrics.json
     * and {@code _SUCCESS}, staged beside it and swapped in.
     */
    void claim(String modelJson, String metricsJson) {
        try (OutputDirectory out = new OutputDirectory(dir.toString(), true, conf)) {
            out.writeText(MODEL, modelJson);
            out.writeText(METRICS, metricsJson);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Replaces model.json, then metrics.json, of an output this stream has claimed. */
    void write(String modelJson, String metricsJson) {
        replace(MODEL, modelJson);
        replace(METRICS, metricsJson);
        Path marker = new Path(dir, OutputDirectory.SUCCESS);
        try {
            if (!files.util().exists(marker)) {
                files.create(marker, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE)).close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not mark " + dir + " complete: " + e.getMessage(), e);
        }
    }

    private void replace(String name, String text) {
        Path target = new Path(dir, name);
        try {
            // Deleted by hand while the stream ran: made again.
            if (!files.util().exists(dir)) {
                files.mkdir(dir, null, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir + ": " + e.getMessage(), e);
        }
        Path writing = new Path(dir, "." + name + "." + UUID.randomUUID() + ".writing");
        try {
            try (OutputStream out = files.create(writing, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            files.rename(writing, target, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Temporary files of a run killed while writing. */
    private void removeLeftovers() throws IOException {
        for (FileStatus status : files.util().listStatus(dir)) {
            String name = status.getPath().getName();
            if (name.startsWith(".") && name.contains(".writing")) {
                files.delete(status.getPath(), false);
            }
        }
    }
}
