package io.mixspark.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mixspark.spark.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Runs every Zeppelin notebook under {@code notebooks/} (any {@code *.zpln}, so a new notebook is
 * picked up without touching this class) from top to bottom on the tests' local SparkSession with
 * {@link NotebookRunner}. Each notebook gets a fresh local directory in place of
 * {@code hdfs://namenode:8020/mixspark}, holding a copy of {@code data/iris.csv} as
 * {@code iris.csv}, which is what the README's Docker Compose steps put on HDFS.
 *
 * <p>{@code -Dmixspark.notebooks=TEXT} runs only the notebooks whose file name contains TEXT.
 */
@Tag("notebook")
class NotebookTest {

    /** Surefire runs in the module's directory. */
    static final Path REPO = Paths.get("").toAbsolutePath().getParent();
    /** Far above what any paragraph needs here; it turns a hang (a REPL deadlock) into a failure. */
    static final Duration PARAGRAPH_TIMEOUT = Duration.ofMinutes(10);

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsFromTopToBottom(@TempDir Path dir) throws IOException {
        List<Path> notebooks = notebooks();
        assertFalse(notebooks.isEmpty(), "no *.zpln under " + REPO.resolve("notebooks"));
        String jobJar = jobJar();
        return notebooks.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ZeppelinNote note = ZeppelinNote.read(file);
            Path base = dir.resolve(note.id().isEmpty() ? "note" : note.id()).resolve("mixspark");
            Files.createDirectories(base);
            Files.copy(REPO.resolve("data/iris.csv"), base.resolve("iris.csv"));
            long start = System.nanoTime();
            try (NotebookRunner runner = new NotebookRunner(SharedSpark.session(), SharedSpark.replClassDir(),
                    base.toUri().toString().replaceAll("/$", ""), jobJar, PARAGRAPH_TIMEOUT)) {
                for (NotebookRunner.ParagraphRun run : runner.run(note)) {
                    System.out.printf(Locale.ROOT, "%s | %s | %.1f s | %s%n", note.name(), run.paragraph().describe(),
                            run.millis() / 1e3, run.summary());
                }
            }
            System.out.printf(Locale.ROOT, "%s: %.1f s%n", note.name(), (System.nanoTime() - start) / 1e9);
        }));
    }

    @Test
    void theInterpreterIsTheScalaThatSparkRunsOn() {
        assertEquals(scala.util.Properties.versionNumberString(), scala.tools.nsc.Properties.versionNumberString(),
                "scala-compiler (spark-jobs/pom.xml) must match the scala-library that Spark brings");
    }

    /** Every {@code notebooks/*.zpln} (or those {@code -Dmixspark.notebooks} selects), sorted by file name. */
    static List<Path> notebooks() throws IOException {
        String only = System.getProperty("mixspark.notebooks", "");
        try (Stream<Path> files = Files.list(REPO.resolve("notebooks"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".zpln"))
                    .filter(f -> f.getFileName().toString().contains(only)).sorted().toList();
        }
    }

    /** The job jar as docker-compose.yml mounts it: spark-jobs/target at /opt/mixspark. */
    static String jobJar() {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(REPO.resolve("pom.xml").toFile()).getDocumentElement();
            for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("version")) {
                    return "/opt/mixspark/mixspark-" + e.getTextContent().trim() + ".jar";
                }
            }
            throw new IllegalStateException("no <version> in " + REPO.resolve("pom.xml"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the project version from " + REPO.resolve("pom.xml"), e);
        }
    }
}
