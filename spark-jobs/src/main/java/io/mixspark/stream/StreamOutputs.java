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
 * A stream's output directory, kept current while the query runs: {@code model.json} and
 * {@code metrics.json} are each written to a hidden file beside them and renamed over the old
 * ones (an atomic replace on HDFS and local disks), so a reader always sees a whole file. The
 * directory carries the {@code _SUCCESS} marker from its first model on, so {@code predict} and
 * {@code report} read it as a finished output.
 *
 * <p>An output that {@code --overwrite} replaces is left whole until the stream's first model is
 * written over it; only then are the old output's other files deleted, so a run that fails before
 * its first model loses nothing.
 */
final class StreamOutputs {

    private static final String MODEL = "model.json";
    private static final String METRICS = "metrics.json";

    private final FileContext files;
    private final Path dir;
    /** Whether files of an output this stream replaces may still be there, to delete after the next write. */
    private boolean replacing;

    StreamOutputs(String dir, boolean overwrite, Configuration conf) throws IOException {
        this.dir = new Path(dir);
        this.files = FileContext.getFileContext(this.dir.toUri(), conf);
        if (files.util().exists(this.dir)) {
            removeLeftovers();
            replacing = overwrite;
        }
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

    /** Replaces model.json, then metrics.json; the first write over a replaced output then deletes its other files. */
    void write(String modelJson, String metricsJson) {
        replace(MODEL, modelJson);
        replace(METRICS, metricsJson);
        if (replacing) {
            removeReplaced();
            replacing = false;
        }
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
            // Made with the first model, so a stream that fails before one leaves no output.
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

    /** Everything but this stream's model, metrics and marker: what is left of the output it replaces. */
    private void removeReplaced() {
        try {
            for (FileStatus status : files.util().listStatus(dir)) {
                String name = status.getPath().getName();
                if (!name.equals(MODEL) && !name.equals(METRICS) && !name.equals(OutputDirectory.SUCCESS)) {
                    files.delete(status.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the replaced output's files from " + dir + ": "
                    + e.getMessage(), e);
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
