package io.mixspark.cli;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.util.VersionInfo;

/**
 * Paths on a file system whose Hadoop connector is not on the class path ({@code s3a:}, {@code gs:},
 * {@code abfs:} ...): refused before any work, with the package that adds the connector.
 */
final class HadoopFileSystems {

    private static final Pattern NO_FILE_SYSTEM = Pattern.compile("No FileSystem for scheme \"([^\"]+)\"");
    private static final Pattern NO_CLASS = Pattern.compile("Class (\\S+) not found");

    /** The connector classes Hadoop's own defaults name, by scheme (their jars ship apart from hadoop-client). */
    private static final Map<String, String> CONNECTOR_CLASSES = Map.of(
            "org.apache.hadoop.fs.s3a.S3AFileSystem", "s3a",
            "org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem", "abfs",
            "org.apache.hadoop.fs.azurebfs.SecureAzureBlobFileSystem", "abfss",
            "org.apache.hadoop.fs.azure.NativeAzureFileSystem", "wasb");

    private HadoopFileSystems() {
    }

    /**
     * Opens the file system of every path (nulls skipped) without touching a file.
     *
     * @throws MissingConnectorException if a scheme has no file system on the class path
     */
    static void require(Configuration conf, String... paths) throws IOException {
        for (String path : paths) {
            if (path == null) {
                continue;
            }
            try {
                new Path(path).getFileSystem(conf);
            } catch (IOException | RuntimeException e) {
                String scheme = missingScheme(e);
                if (scheme == null) {
                    throw e;
                }
                throw new MissingConnectorException(scheme, path, e);
            }
        }
    }

    /**
     * The scheme a failure says has no file system on the class path, or null: Hadoop says "No
     * FileSystem for scheme" for a scheme it does not know, and fails to load the class for one its
     * defaults name ({@code s3a}, {@code abfs}) whose jar is absent.
     */
    static String missingScheme(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MissingConnectorException m) {
                return m.scheme;
            }
            if (t instanceof UnsupportedFileSystemException && t.getMessage() != null) {
                Matcher m = NO_FILE_SYSTEM.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (t instanceof ClassNotFoundException && t.getMessage() != null) {
                Matcher m = NO_CLASS.matcher(t.getMessage());
                if (m.find() && CONNECTOR_CLASSES.containsKey(m.group(1))) {
                    return CONNECTOR_CLASSES.get(m.group(1));
                }
            }
        }
        return null;
    }

    /** What to add for a scheme: a Maven package for spark-submit, or jars on the class path. */
    static String howToAdd(String scheme) {
        String hadoop = VersionInfo.getVersion();
        String packages = switch (scheme) {
            case "s3a" -> "org.apache.hadoop:hadoop-aws:" + hadoop;
            case "abfs", "abfss", "wasb", "wasbs" -> "org.apache.hadoop:hadoop-azure:" + hadoop;
            case "gs" -> "com.google.cloud.bigdataoss:gcs-connector:hadoop3-<version>";
            default -> null;
        };
        String submit = packages == null ? "add the jar that provides it to spark-submit --jars"
                : "run under spark-submit with --packages " + packages;
        return submit + ", or add the jars (with their dependencies) to MIXSPARK_CLASSPATH for bin/mixspark";
    }

    /** A path whose scheme has no Hadoop file system here; an I/O failure (exit code 5). */
    static final class MissingConnectorException extends IOException {
        private static final long serialVersionUID = 1L;

        private final String scheme;

        MissingConnectorException(String scheme, String path, Throwable cause) {
            super(message(scheme, path), cause);
            this.scheme = scheme;
        }

        static String message(String scheme, String path) {
            return "no Hadoop file system for scheme \"" + scheme + "\"" + (path == null ? "" : " (" + path + ")")
                    + ": its connector is not on the class path; " + howToAdd(scheme);
        }
    }
}
