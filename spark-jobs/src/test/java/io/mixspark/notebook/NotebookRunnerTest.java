package io.mixspark.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.spark.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NotebookRunner} on small notes written here: what it must run, and what it must refuse. */
@Tag("notebook")
class NotebookRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAR = "/opt/mixspark/mixspark-test.jar";
    private static final String CONF = "%spark.conf\nspark.master spark://spark-master:7077\nspark.jars " + JAR
            + "\nspark.executor.memory 1g\nspark.hadoop.dfs.replication 1";

    @TempDir
    Path dir;

    /** Paragraphs as (title, text, chart or null); a chart is (keys, groups, values) as column names. */
    private ZeppelinNote note(String name, String[]... paragraphs) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("name", name).put("id", "2TEST").put("defaultInterpreterGroup",
                "spark");
        ArrayNode list = root.putArray("paragraphs");
        for (String[] p : paragraphs) {
            ObjectNode paragraph = list.addObject().put("title", p[0]).put("text", p[1]);
            ObjectNode config = paragraph.putObject("config").put("enabled", true);
            ObjectNode results = config.putObject("results");
            if (p.length > 2) {
                ObjectNode graph = results.putObject("0").putObject("graph").put("mode", "lineChart");
                String[] roles = {"keys", "groups", "values"};
                for (int r = 0; r < 3; r++) {
                    ArrayNode columns = graph.putArray(roles[r]);
                    for (String column : p[2 + r].isEmpty() ? new String[0] : p[2 + r].split(",")) {
                        columns.addObject().put("name", column.split(":")[0])
                                .put("index", Integer.parseInt(column.split(":")[1])).put("aggr", "sum");
                    }
                }
            }
        }
        Path file = dir.resolve(name + "_2TEST.zpln");
        JSON.writeValue(file.toFile(), root);
        return ZeppelinNote.read(file);
    }

    private List<NotebookRunner.ParagraphRun> run(ZeppelinNote note) {
        return run(note, 300);
    }

    private List<NotebookRunner.ParagraphRun> run(ZeppelinNote note, int timeoutSeconds) {
        try (NotebookRunner runner = new NotebookRunner(SharedSpark.session(), SharedSpark.replClassDir(),
                dir.toUri().toString() + "local", JAR, Duration.ofSeconds(timeoutSeconds))) {
            return runner.run(note);
        }
    }

    @Test
    void closuresAndCaseClassesDefinedInTheNotebookRunOnTheExecutorsAndPathsBecomeLocal() throws IOException {
        // A case class used in a Dataset must be defined in an earlier paragraph than the query: in the
        // same one, Spark's query thread waits for the paragraph's wrapper to initialise, which waits for
        // the query (a REPL class-initialisation deadlock that Zeppelin has too).
        ZeppelinNote note = note("closures", new String[] {"conf", CONF},
                new String[] {"case class", "%spark\ncase class Point(x: Int, y: Int)"},
                new String[] {"closure", "%spark\nval offset = 3\n"
                        + "val sum = sc.parallelize(1 to 100, 4).map(i => i * 2 + offset).sum()\n"
                        + "require(sum == 10400, s\"sum $sum\")\n"
                        + "val points = spark.createDataset(Seq(Point(1, 2), Point(3, 4))).repartition(2)"
                        + ".map(p => p.copy(y = p.x + offset))\n"
                        + "require(points.collect().map(_.y).sorted.sameElements(Array(4, 6)))\n"
                        + "points.toDF().createOrReplaceTempView(\"points\")\n// a trailing comment"},
                new String[] {"query", "%sql\n-- a comment; with a semicolon\nSELECT x, y FROM points ORDER BY x;",
                    "x:0", "", "y:1"},
                new String[] {"sql path", "%sql\nCREATE OR REPLACE TEMP VIEW sql_path AS SELECT '"
                        + NotebookRunner.HDFS_PREFIX + "/iris.csv' AS path"},
                new String[] {"scala path", "%spark\nval base = \"" + NotebookRunner.HDFS_PREFIX + "\"\n"
                        + "Seq(s\"$base/out\").toDF(\"path\").createOrReplaceTempView(\"scala_path\")"});
        List<NotebookRunner.ParagraphRun> runs = run(note);
        assertEquals(6, runs.size());
        assertEquals("2 rows of [x, y]", runs.get(3).summary());
        // Paths under the HDFS prefix become local, in SQL and Scala alike.
        String local = dir.toUri() + "local";
        assertEquals(local + "/iris.csv", SharedSpark.session().sql("SELECT path FROM sql_path").first().getString(0));
        assertEquals(local + "/out", SharedSpark.session().sql("SELECT path FROM scala_path").first().getString(0));
    }

    @Test
    void aFailingParagraphIsReportedWithTheNotebookTheTitleAndTheOutput() throws IOException {
        ZeppelinNote note = note("failing", new String[] {"conf", CONF},
                new String[] {"fine", "%spark\nval a = 1"},
                new String[] {"Broken step", "%spark\nval b = a + nope"},
                new String[] {"never", "%spark\nval c = 3"});
        AssertionError e = assertThrows(AssertionError.class, () -> run(note));
        assertTrue(e.getMessage().startsWith("notebook 'failing' (failing_2TEST.zpln), paragraph 3 'Broken step' "
                + "(%spark): the Scala interpreter reported ERROR"), e.getMessage());
        assertTrue(e.getMessage().contains("not found: value nope"), e.getMessage());
    }

    @Test
    void aRuntimeExceptionFailsTheParagraph() throws IOException {
        ZeppelinNote note = note("throwing", new String[] {"conf", CONF},
                new String[] {"require", "%spark\nrequire(1 + 1 == 3, \"arithmetic is broken\")"});
        AssertionError e = assertThrows(AssertionError.class, () -> run(note));
        assertTrue(e.getMessage().contains("arithmetic is broken"), e.getMessage());
    }

    @Test
    void aParagraphThatDoesNotFinishFailsWithItsStack() throws IOException {
        ZeppelinNote note = note("slow", new String[] {"conf", CONF},
                new String[] {"sleeps", "%spark\nprintln(\"going to sleep\")\nThread.sleep(60000)"},
                new String[] {"after", "%sql\nSELECT 1"});
        AssertionError e = assertThrows(AssertionError.class, () -> run(note, 3));
        assertTrue(e.getMessage().startsWith("notebook 'slow' (slow_2TEST.zpln), paragraph 2 'sleeps' (%spark): did "
                + "not finish in 3 s"), e.getMessage());
        assertTrue(e.getMessage().contains("going to sleep"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Thread.sleep"), e.getMessage());
    }

    @Test
    void sqlChecks() throws IOException {
        String[] conf = {"conf", CONF};
        assertFailure(note("empty", conf, new String[] {"q", "%sql\nSELECT 1 AS one WHERE 1 = 0"}),
                "statement 1 returned no rows");
        assertFailure(note("bad sql", conf, new String[] {"q", "%sql\nSELECT nope FROM nowhere"}),
                "statement 1 failed");
        assertFailure(note("chart", conf, new String[] {"q", "%sql\nSELECT 1 AS k, 2 AS bic", "k:0", "", "aic:1"}),
                "the chart's values name column 'aic'");
        assertFailure(note("index", conf, new String[] {"q", "%sql\nSELECT 1 AS k, 2 AS bic", "k:1", "", "bic:1"}),
                "the chart's keys put 'k' at index 1, but it is column 0");
        List<NotebookRunner.ParagraphRun> runs = run(note("fine", conf,
                new String[] {"view", "%sql\nCREATE OR REPLACE TEMP VIEW one AS SELECT 1 AS k; SELECT k FROM one"}));
        assertEquals("0 rows of []; 1 rows of [k]", runs.get(1).summary());
    }

    @Test
    void confAndPathChecks() throws IOException {
        assertFailure(note("no conf", new String[] {"q", "%sql\nSELECT 1"}), "no %spark.conf paragraph");
        assertFailure(note("late conf", new String[] {"q", "%sql\nSELECT 1"}, new String[] {"conf", CONF}),
                "must come before any %spark or %sql paragraph");
        assertFailure(note("unknown key", new String[] {"conf", CONF + "\nspark.executor.memroy 2g"}),
                "unknown key 'spark.executor.memroy'");
        assertFailure(note("other jar", new String[] {"conf", CONF.replace(JAR, "/opt/mixspark/old.jar")}),
                "spark.jars must be " + JAR);
        assertFailure(note("other hdfs", new String[] {"conf", CONF},
                new String[] {"q", "%sql\nSELECT * FROM parquet.`hdfs://namenode:8020/elsewhere/x`"}),
                "'hdfs://namenode:8020/elsewhere/x' does not start with hdfs://namenode:8020/mixspark");
        assertFailure(note("python", new String[] {"conf", CONF}, new String[] {"py", "%spark.pyspark\nprint(1)"}),
                "cannot run %spark.pyspark paragraphs");
        assertTrue(NotebookRunner.isKnownKey("spark.executor.memory"));
        assertTrue(NotebookRunner.isKnownKey("zeppelin.spark.maxResult"));
        assertFalse(NotebookRunner.isKnownKey("spark.hadoop."));
    }

    private void assertFailure(ZeppelinNote note, String expected) {
        AssertionError e = assertThrows(AssertionError.class, () -> run(note));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("notebook '" + note.name() + "'"), e.getMessage());
    }
}
