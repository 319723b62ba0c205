package io.mixspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Tells, after Spark failed to read a Parquet or ORC input, whether a file there lacks the
 * format's magic bytes (a CSV or LIBSVM file read with the wrong {@code --format}, say), so the
 * error can name it instead of showing Spark's stack trace.
 */
final class FormatSniffer {

    /** Data files looked at, at most, in a directory. */
    private static final int FILES_LOOKED_AT = 1000;

    private FormatSniffer() {
    }

    /**
     * The message for the first data file under {@code path} that does not start with the
     * format's magic bytes, or null if every one does (or the path cannot be listed).
     */
    static String notOfFormat(Configuration conf, String path, String format) {
        byte[] magic = (format.equals("orc") ? "ORC" : "PAR1").getBytes(StandardCharsets.US_ASCII);
        String name = format.equals("orc") ? "an ORC" : "a Parquet";
        try {
            Path root = new Path(path);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(root);
            if (status.isFile()) {
                return startsWith(fs, root, magic) ? null : message(path, name, format);
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            for (int seen = 0; files.hasNext() && seen < FILES_LOOKED_AT; seen++) {
                Path file = files.next().getPath();
                if (!hidden(root, file) && !startsWith(fs, file, magic)) {
                    return message(file.toString(), name, format);
                }
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Rethrows any exception as it is (Spark's checked ones included), for the caller to throw. */
    @SuppressWarnings("unchecked")
    static <E extends Exception> RuntimeException unchanged(Exception e) throws E {
        throw (E) e;
    }

    private static String message(String file, String name, String format) {
        String suggested;
        try {
            suggested = InputTable.formatOf(file, null);
        } catch (IllegalArgumentException unknown) {
            suggested = null;
        }
        String hint = suggested != null && !suggested.equals(format) ? "pass --format " + suggested
                : "pass the format it has with --format " + String.join("|", InputTable.FORMATS);
        return file + " is not " + name + " file; " + hint;
    }

    /** Spark skips files and directories whose names start with _ or . (such as _SUCCESS). */
    private static boolean hidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root) && p.getName().length() > 0; p = p.getParent()) {
            if (p.getName().startsWith("_") || p.getName().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(FileSystem fs, Path file, byte[] magic) throws IOException {
        byte[] head = new byte[magic.length];
        try (InputStream in = fs.open(file)) {
            int read = in.readNBytes(head, 0, head.length);
            return read == head.length && Arrays.equals(head, magic);
        }
    }
}
