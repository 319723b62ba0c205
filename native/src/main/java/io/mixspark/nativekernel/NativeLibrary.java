package io.mixspark.nativekernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * Loads the native kernel library once per JVM, driver and executors alike. Order: the file
 * named by {@value #PATH_PROPERTY}; {@code System.loadLibrary} (a library on
 * {@code java.library.path}); the copy inside the jar, extracted to a temporary file. When none
 * loads, {@link #failure()} says why and the Java kernel serves alone.
 */
public final class NativeLibrary {

    /** System property: an explicit path to the shared library. */
    public static final String PATH_PROPERTY = "mixspark.native.path";
    /** System property: set to {@code false} to never load native code. */
    public static final String ENABLED_PROPERTY = "mixspark.native.enabled";

    private static final System.Logger LOG = System.getLogger(NativeLibrary.class.getName());
    private static final String FAILURE = load();

    private NativeLibrary() {
    }

    /** Whether the library is loaded in this JVM. */
    public static boolean loaded() {
        return FAILURE == null;
    }

    /** Why the library did not load, or null when it did. */
    public static String failure() {
        return FAILURE;
    }

    private static String load() {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))) {
            return note("disabled by -D" + ENABLED_PROPERTY + "=false");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return note("no native library is built for " + os + "/" + arch);
        }
        Properties build = buildProperties();
        String name = "mixspark_kernels-" + build.getProperty("version", "dev");
        String explicit = System.getProperty(PATH_PROPERTY);
        try {
            if (explicit != null && !explicit.isBlank()) {
                System.load(Path.of(explicit).toAbsolutePath().toString());
                return loadedFrom(explicit);
            }
            try {
                System.loadLibrary(name);
                return loadedFrom("java.library.path (" + name + ")");
            } catch (UnsatisfiedLinkError notOnPath) {
                return extractAndLoad(name, build.getProperty("classifier", "linux-x86_64"));
            }
        } catch (UnsatisfiedLinkError | IOException | SecurityException e) {
            return note("could not load " + name + ": " + e.getMessage());
        }
    }

    private static String extractAndLoad(String name, String classifier) throws IOException {
        String resource = classifier + "/lib" + name + ".so";
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                return note("the jar holds no " + resource);
            }
            Path file = Files.createTempFile("lib" + name + "-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
            return loadedFrom("the jar (" + resource + ")");
        }
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = NativeLibrary.class.getResourceAsStream("native.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not read native.properties: " + e.getMessage());
        }
        return p;
    }

    private static String loadedFrom(String where) {
        LOG.log(Level.INFO, "MixSpark native kernels loaded from " + where);
        return null;
    }

    private static String note(String why) {
        LOG.log(Level.INFO, "MixSpark native kernels unavailable, using the Java kernel: " + why);
        return why;
    }
}
