package io.mixspark.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.notebook.ZeppelinNote.Kind;
import io.mixspark.notebook.ZeppelinNote.Paragraph;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.internal.config.ConfigEntry$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a Zeppelin note's paragraphs in order on a local SparkSession, the way Zeppelin's Spark
 * interpreter group would on the Docker Compose cluster:
 *
 * <ul>
 *   <li>{@code %spark.conf}: parsed and checked, not applied (the session is already running).
 *       Every line is {@code key value}; every key must be one Spark or Zeppelin knows, and
 *       {@code spark.jars} must name the job jar where docker-compose.yml mounts it
 *       ({@code /opt/mixspark/mixspark-<version>.jar}).</li>
 *   <li>{@code %spark}: the whole text in one {@link ScalaInterpreter} request; it must end in
 *       success. One interpreter per note, so a note cannot lean on another's definitions.</li>
 *   <li>{@code %sql} and {@code %spark.sql}: each statement through {@code spark.sql}; a query
 *       ({@code SELECT}, {@code WITH}, {@code SHOW} ...) must return at least one row, and the
 *       columns that the paragraph's chart settings ({@code config.results.<i>.graph.keys},
 *       {@code groups}, {@code values}) name must be the query's, at the positions given.</li>
 *   <li>{@code %md}, empty and disabled paragraphs: skipped. Any other interpreter fails.</li>
 * </ul>
 *
 * <p><b>Data paths.</b> The notebooks address the compose cluster's HDFS. Every HDFS path in a
 * notebook must start with the literal prefix {@value #HDFS_PREFIX} (a paragraph with any other
 * {@code hdfs://} address fails); before a paragraph runs, the runner replaces that prefix, in
 * Scala and SQL alike, with a local directory given to the constructor. The caller puts there
 * what the cluster would hold, such as {@code iris.csv}.
 */
final class NotebookRunner implements AutoCloseable {

    /** What every notebook's HDFS paths start with, and what the runner redirects. */
    static final String HDFS_PREFIX = "hdfs://namenode:8020/mixspark";

    /** Zeppelin's Spark interpreter properties that are not Spark configuration. */
    private static final Set<String> ZEPPELIN_KEYS = Set.of("master", "SPARK_HOME", "SPARK_SUBMIT_OPTIONS",
            "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON");
    /** Spark keys read by spark-submit rather than registered as config entries. */
    private static final Set<String> SUBMIT_KEYS = Set.of("spark.master", "spark.app.name",
            "spark.submit.deployMode", "spark.jars", "spark.files", "spark.jars.packages");
    /** Spark settings by prefix (Hadoop configuration, executor environment). */
    private static final List<String> SPARK_PREFIXES = List.of("spark.hadoop.", "spark.executorEnv.");
    private static final Pattern HDFS = Pattern.compile("hdfs://[^\\s\"'`)]*");
    private static final Pattern QUERY = Pattern.compile(
            "\\A(SELECT|WITH|SHOW|DESCRIBE|DESC|TABLE|VALUES|FROM|EXPLAIN)\\b", Pattern.CASE_INSENSITIVE);
    /** The Scala interpreter's echo of what a paragraph defined. */
    private static final Pattern ECHO = Pattern.compile(
            "(val|var|lazy val|def|import|type|defined|class|object|trait|case class) ");
    /** How long the Scala compiler may take to start. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);
    /** Zeppelin shows at most this many rows of a %sql result (zeppelin.spark.maxResult). */
    private static final int MAX_RESULT = 1000;

    /** One paragraph that ran: how long it took and what it printed or returned. */
    record ParagraphRun(Paragraph paragraph, long millis, String summary) {
    }

    private final SparkSession spark;
    private final Path classDir;
    private final String localBase;
    private final String jobJar;
    private final Duration timeout;
    /** Runs the paragraphs, so that one that never ends can be abandoned (and its stack shown). */
    private final ExecutorService worker;
    private Thread workerThread;
    /** Set once a paragraph timed out: its thread may still hold the interpreter. */
    private boolean abandoned;
    private ScalaInterpreter scala;

    /**
     * @param spark     the session every paragraph uses; it must have been started with
     *                  {@code spark.repl.class.outputDir = classDir}
     * @param classDir  where the interpreter writes its classes
     * @param localBase what {@value #HDFS_PREFIX} becomes, a Hadoop URI such as {@code file:/tmp/x}
     * @param jobJar    the {@code spark.jars} value every note must load
     * @param timeout   how long one paragraph may run
     */
    NotebookRunner(SparkSession spark, Path classDir, String localBase, String jobJar, Duration timeout) {
        this.spark = spark;
        this.classDir = classDir;
        this.localBase = localBase;
        this.jobJar = jobJar;
        this.timeout = timeout;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "notebook-paragraph");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    /**
     * Runs every paragraph of {@code note} in order.
     *
     * @return the paragraphs that ran
     * @throws AssertionError at the first paragraph that fails, naming the note, the paragraph
     *                        and what the interpreter printed
     */
    List<ParagraphRun> run(ZeppelinNote note) {
        if (note.paragraphs().stream().noneMatch(p -> p.enabled() && p.kind() == Kind.CONF)) {
            throw new AssertionError(name(note) + ": no %spark.conf paragraph loads the MixSpark jar (spark.jars "
                    + jobJar + ")");
        }
        List<ParagraphRun> runs = new ArrayList<>();
        boolean codeSeen = false;
        for (Paragraph p : note.paragraphs()) {
            if (!p.enabled() || p.kind() == Kind.MARKDOWN || p.kind() == Kind.EMPTY) {
                continue;
            }
            long start = System.nanoTime();
            String summary = switch (p.kind()) {
                case CONF -> {
                    if (codeSeen) {
                        throw failure(note, p, "a %spark.conf paragraph must come before any %spark or %sql "
                                + "paragraph: Zeppelin applies it only when the interpreter starts", "");
                    }
                    yield checkConf(note, p);
                }
                case SCALA -> {
                    codeSeen = true;
                    if (scala == null) {
                        // Starting the compiler takes seconds; it is not the paragraph's time.
                        withTimeout(note, p, STARTUP_TIMEOUT, "the Scala interpreter did not start in", () -> {
                            scala = new ScalaInterpreter(spark, classDir);
                            return "";
                        });
                        start = System.nanoTime();
                    }
                    yield withTimeout(note, p, timeout, "did not finish in", () -> runScala(note, p));
                }
                case SQL -> {
                    codeSeen = true;
                    yield withTimeout(note, p, timeout, "did not finish in", () -> runSql(note, p));
                }
                default -> throw failure(note, p, "the notebook runner cannot run %" + p.interpreter()
                        + " paragraphs (it runs %spark, %sql, %spark.conf and %md)", "");
            };
            runs.add(new ParagraphRun(p, (System.nanoTime() - start) / 1_000_000, summary));
        }
        return runs;
    }

    private String checkConf(ZeppelinNote note, Paragraph p) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String line : p.body().split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] kv = trimmed.split("\\s+", 2);
            if (kv.length < 2) {
                throw failure(note, p, "'" + trimmed + "' is not 'key value'", "");
            }
            if (!isKnownKey(kv[0])) {
                throw failure(note, p, "unknown key '" + kv[0] + "': neither a Spark configuration entry nor a "
                        + "Zeppelin Spark interpreter property", "");
            }
            conf.put(kv[0], kv[1].trim());
        }
        if (!jobJar.equals(conf.get("spark.jars"))) {
            throw failure(note, p, "spark.jars must be " + jobJar + " (the job jar as docker-compose.yml mounts "
                    + "it), got " + conf.get("spark.jars"), "");
        }
        return conf.size() + " settings checked, not applied";
    }

    static boolean isKnownKey(String key) {
        if (ZEPPELIN_KEYS.contains(key) || key.startsWith("zeppelin.") || SUBMIT_KEYS.contains(key)) {
            return true;
        }
        if (SPARK_PREFIXES.stream().anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length())) {
            return true;
        }
        // Spark registers its configuration entries as their holders load; the session has loaded core's.
        return key.startsWith("spark.") && ConfigEntry$.MODULE$.findEntry(key) != null;
    }

    /**
     * Runs a paragraph on the worker thread. One that outlives the timeout (such as a REPL
     * class-initialisation deadlock) fails with the worker's stack; the runner is unusable after.
     */
    private String withTimeout(ZeppelinNote note, Paragraph p, Duration timeout, String late,
                               Callable<String> paragraph) {
        if (abandoned) {
            throw failure(note, p, "not run: an earlier paragraph did not finish", "");
        }
        String group = "notebook " + note.id() + " paragraph " + p.index();
        Future<String> result = worker.submit(() -> {
            spark.sparkContext().setJobGroup(group, note.name() + ": " + p.describe(), true);
            try {
                return paragraph.call();
            } finally {
                spark.sparkContext().clearJobGroup();
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            StringBuilder stack = new StringBuilder("----- where it is -----\n");
            Thread t = workerThread;
            for (StackTraceElement frame : t == null ? new StackTraceElement[0] : t.getStackTrace()) {
                stack.append("\tat ").append(frame).append('\n');
            }
            String output = scala == null ? "" : scala.outputSoFar();
            abandoned = true;
            spark.sparkContext().cancelJobGroup(group);
            result.cancel(true);
            if (scala != null) {
                scala.restoreStreams();
            }
            throw failure(note, p, late + " " + timeout.toSeconds() + " s", output + "\n" + stack);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            throw failure(note, p, "the runner failed: " + e.getCause(), trace.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(note, p, "interrupted", "");
        }
    }

    private String runScala(ZeppelinNote note, Paragraph p) {
        String code = localize(note, p);
        ScalaInterpreter.Result r = scala.interpret(code);
        if (r.outcome() != ScalaInterpreter.Outcome.SUCCESS) {
            throw failure(note, p, "the Scala interpreter reported " + r.outcome(), r.output());
        }
        return lastLines(r.output(), 3);
    }

    private String runSql(ZeppelinNote note, Paragraph p) {
        List<String> statements = SqlStatements.split(localize(note, p));
        if (statements.isEmpty()) {
            throw failure(note, p, "no SQL statement", "");
        }
        StringBuilder summary = new StringBuilder();
        // As Zeppelin's SQL interpreter does: classes defined in %spark paragraphs resolve in queries.
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (scala != null) {
            Thread.currentThread().setContextClassLoader(scala.classLoader());
        }
        try {
            runStatements(note, p, statements, summary);
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
        return summary.toString();
    }

    private void runStatements(ZeppelinNote note, Paragraph p, List<String> statements, StringBuilder summary) {
        for (int i = 0; i < statements.size(); i++) {
            String sql = statements.get(i);
            List<Row> rows;
            String[] columns;
            try {
                Dataset<Row> result = spark.sql(sql);
                columns = result.columns();
                rows = result.limit(MAX_RESULT).collectAsList();
            } catch (Exception e) {
                throw failure(note, p, "statement " + (i + 1) + " failed: " + e, sql);
            }
            boolean query = QUERY.matcher(SqlStatements.stripComments(sql).trim()).lookingAt();
            if (query && rows.isEmpty()) {
                throw failure(note, p, "statement " + (i + 1) + " returned no rows", sql);
            }
            checkChart(note, p, i, columns, sql);
            summary.append(summary.length() == 0 ? "" : "; ").append(rows.size()).append(" rows of ")
                    .append(Arrays.toString(columns));
        }
    }

    /** The chart of result {@code i}, if any, must name the query's columns at their positions. */
    private void checkChart(ZeppelinNote note, Paragraph p, int i, String[] columns, String sql) {
        JsonNode results = p.config().path("results");
        JsonNode graph = (results.isArray() ? results.path(i) : results.path(String.valueOf(i))).path("graph");
        if (graph.isMissingNode()) {
            return;
        }
        for (String role : List.of("keys", "groups", "values")) {
            for (JsonNode column : graph.path(role)) {
                String name = column.path("name").asText();
                int at = Arrays.asList(columns).indexOf(name);
                if (at < 0) {
                    throw failure(note, p, "the chart's " + role + " name column '" + name + "', which result " + i
                            + " lacks; its columns are " + Arrays.toString(columns), sql);
                }
                if (column.has("index") && column.path("index").asInt() != at) {
                    throw failure(note, p, "the chart's " + role + " put '" + name + "' at index "
                            + column.path("index").asInt() + ", but it is column " + at + " of "
                            + Arrays.toString(columns), sql);
                }
            }
        }
    }

    /** The paragraph's text with {@value #HDFS_PREFIX} replaced by the local directory. */
    private String localize(ZeppelinNote note, Paragraph p) {
        Matcher m = HDFS.matcher(p.body());
        while (m.find()) {
            if (!m.group().startsWith(HDFS_PREFIX)) {
                throw failure(note, p, "'" + m.group() + "' does not start with " + HDFS_PREFIX
                        + ", the prefix the runner redirects to a local directory", "");
            }
        }
        return p.body().replace(HDFS_PREFIX, localBase);
    }

    private static AssertionError failure(ZeppelinNote note, Paragraph p, String what, String output) {
        String shown = output.length() > 20_000 ? "...\n" + output.substring(output.length() - 20_000) : output;
        return new AssertionError(name(note) + ", paragraph " + p.describe() + ": " + what
                + (shown.isBlank() ? "" : "\n----- output -----\n" + shown.stripTrailing()));
    }

    private static String name(ZeppelinNote note) {
        return "notebook '" + note.name() + "' (" + note.file().getFileName() + ")";
    }

    /**
     * The last {@code n} lines the paragraph printed itself, on one line and at most 300
     * characters; the interpreter's echo of its definitions ({@code val x: Int = 1}) only when
     * there is nothing else.
     */
    static String lastLines(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        List<String> printed = lines.stream().filter(l -> !ECHO.matcher(l).lookingAt()).toList();
        List<String> shown = printed.isEmpty() ? lines : printed;
        String joined = String.join(" | ", shown.subList(Math.max(0, shown.size() - n), shown.size()));
        return joined.length() > 300 ? joined.substring(0, 297) + "..." : joined;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (scala != null && !abandoned) {
            scala.close();
            scala = null;
        }
    }
}
