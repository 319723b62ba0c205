package io.mixspark.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for the whole test JVM: starting Spark costs seconds, so every test
 * class shares it (the JVM's exit stops it).
 */
public final class SharedSpark {

    private static SparkSession session;
    private static Path replClassDir;

    private SharedSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("mixspark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    // As spark-shell and Zeppelin do: the executors load the classes that a Scala
                    // interpreter compiles (NotebookTest) from here. It must be set before the context starts.
                    .config("spark.repl.class.outputDir", replClassDir().toString())
                    .getOrCreate();
        }
        return session;
    }

    /** Where a Scala interpreter in the tests writes its classes ({@code -Yrepl-outdir}). */
    public static synchronized Path replClassDir() {
        if (replClassDir == null) {
            try {
                Path dir = Files.createTempDirectory("mixspark-repl-classes");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                replClassDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return replClassDir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: what is left stays for the OS to clean
        }
    }
}
