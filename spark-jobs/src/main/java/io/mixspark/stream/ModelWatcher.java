package io.mixspark.stream;

import io.mixspark.io.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The model a stream is scored with, read again when its {@code model.json} changes. Each
 * micro-batch asks {@link #current()}: the file is read and its SHA-256 compared with the last one
 * (a model.json is a few kilobytes, and a digest, unlike a modification time, cannot miss two
 * writes within the clock's resolution). A file that does not parse (caught half written by a
 * writer that does not replace it atomically) keeps the model in use until the next batch; a new
 * model with other features than the stream's is refused.
 */
public final class ModelWatcher {

    private final Path file;
    private final Configuration conf;
    private ModelJson.Named model;
    private String digest;
    private String notice;

    /** @param model the model as first read from {@code file} (its checks done by the caller) */
    public ModelWatcher(String file, Configuration conf, ModelJson.Named model) {
        this.file = new Path(file);
        this.conf = conf;
        this.model = model;
        this.digest = digest(read());
    }

    /** The model to score the next batch with; {@link #notice()} says whether it was reloaded. */
    public ModelJson.Named current() {
        notice = null;
        byte[] bytes;
        try {
            bytes = read();
        } catch (UncheckedIOException e) {
            notice = "could not read " + file + " (" + e.getCause().getMessage() + "); scoring with the model"
                    + " read before";
            return model;
        }
        String now = digest(bytes);
        if (now.equals(digest)) {
            return model;
        }
        ModelJson.Named next;
        try {
            next = ModelJson.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        } catch (RuntimeException e) {
            notice = file + " changed but does not parse (" + e.getMessage() + "); scoring with the model read"
                    + " before";
            return model;
        }
        if (!next.features().equals(model.features())) {
            throw new IllegalArgumentException("the model at " + file + " now has the features " + next.features()
                    + ", the stream is scored on " + model.features() + "; start predict --stream again with a"
                    + " new --checkpoint-dir");
        }
        model = next;
        digest = now;
        notice = "reloaded the model from " + file + " (sha256 " + shortDigest() + ")";
        return model;
    }

    /** What the last {@link #current()} did beyond returning the same model, or null. */
    public String notice() {
        return notice;
    }

    /** The first 12 hex digits of the SHA-256 of the model in use, to tell models apart in metrics. */
    public String shortDigest() {
        return digest.substring(0, 12);
    }

    private byte[] read() {
        try {
            FileSystem fs = file.getFileSystem(conf);
            try (InputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
