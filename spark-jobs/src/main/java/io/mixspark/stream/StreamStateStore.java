package io.mixspark.stream;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The stream's learning state, one JSON document per applied micro-batch, in a directory of its
 * own inside the query's checkpoint: {@code state-<batch id>.json}. A save writes a temporary
 * file of its own, renames it to the batch's name (replacing only a document of the same batch) and only then
 * deletes the older documents, as {@link io.mixspark.io.HadoopCheckpointStore} does for a fit; a
 * load reads the newest document that parses. A process killed at any step thus leaves the state
 * before the batch, or after it, and never half of one.
 */
final class StreamStateStore {

    /** Where the documents live inside the query's checkpoint directory. */
    static final String DIRECTORY = "mixspark-state";
    private static final Pattern SAVED = Pattern.compile("state-(\\d{19})\\.json");
    private static final Pattern WRITING = Pattern.compile("state-(\\d{19})\\.json\\.[0-9a-f-]{36}\\.writing");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final FileSystem fs;
    private final FileContext files;
    private final Path dir;

    StreamStateStore(String checkpointDir, Configuration conf) throws IOException {
        this.dir = new Path(checkpointDir, DIRECTORY);
        this.fs = dir.getFileSystem(conf);
        this.files = FileContext.getFileContext(dir.toUri(), conf);
        fs.mkdirs(dir);
    }

    /** Saves the document after batch {@code batchId}, atomically. */
    void save(long batchId, ObjectNode document) {
        Path file = file(batchId);
        Path writing = new Path(dir, file.getName() + "." + UUID.randomUUID() + ".writing");
        try {
            try (OutputStream out = fs.create(writing, true)) {
                out.write(JSON.writeValueAsBytes(document));
            }
            // The same batch saved again (its output claimed, or by a run killed before Spark recorded
            // it) is replaced in one rename, so a load never finds no document.
            files.rename(writing, file, Options.Rename.OVERWRITE);
            for (FileStatus old : fs.listStatus(dir)) {
                String name = old.getPath().getName();
                long saved = batchOf(SAVED, name);
                long abandoned = batchOf(WRITING, name);
                if ((saved >= 0 && saved < batchId) || (abandoned >= 0 && abandoned <= batchId)) {
                    fs.delete(old.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the stream's state " + file + ": " + e.getMessage(), e);
        }
    }

    /** The newest document that parses, or null when none was saved. */
    ObjectNode load() {
        List<Long> saved = new ArrayList<>();
        try {
            for (FileStatus status : fs.listStatus(dir)) {
                long batch = batchOf(SAVED, status.getPath().getName());
                if (batch >= 0) {
                    saved.add(batch);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the stream's state in " + dir + ": " + e.getMessage(), e);
        }
        saved.sort(Comparator.reverseOrder());
        for (long batch : saved) {
            try (InputStream in = fs.open(file(batch))) {
                JsonNode node = JSON.readTree(in);
                if (node instanceof ObjectNode document) {
                    return document;
                }
            } catch (IOException e) {
                // Half copied on an object store, where a rename is a copy: the one before is whole.
            }
        }
        return null;
    }

    String location() {
        return dir.toString();
    }

    private Path file(long batchId) {
        return new Path(dir, String.format(Locale.ROOT, "state-%019d.json", batchId));
    }

    private static long batchOf(Pattern kind, String name) {
        Matcher m = kind.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
