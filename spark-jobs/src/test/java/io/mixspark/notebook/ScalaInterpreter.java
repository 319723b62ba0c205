package io.mixspark.notebook;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import scala.Console$;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;

/**
 * The Scala 2.13 interpreter ({@link IMain}) set up as Zeppelin's Spark interpreter sets it up:
 * class-based wrappers ({@code -Yrepl-class-based}) written to a directory that Spark serves to
 * the executors ({@code spark.repl.class.outputDir}, which the SparkSession must have been started
 * with), {@code spark}, {@code sc} and {@code sqlContext} bound as {@code @transient} values, and
 * the same imports ({@code spark.implicits._}, {@code spark.sql},
 * {@code org.apache.spark.sql.functions._}). Zeppelin's {@code z} is not bound: notebooks that
 * this runner checks must not use it.
 *
 * <p>Each interpreter gets its own class-name prefix ({@code scala.repl.name.line}), as Zeppelin
 * gives each of its sessions, because the executors cache REPL classes by name for the life of the
 * SparkContext. One interpreter at a time: the prefix is a JVM-wide property read on every line.
 */
final class ScalaInterpreter implements AutoCloseable {

    /** How a paragraph ended. */
    enum Outcome { SUCCESS, ERROR, INCOMPLETE }

    /** The outcome and everything the paragraph printed (compiler messages, results, stdout, stderr). */
    record Result(Outcome outcome, String output) {
    }

    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final PrintWriter writer = new PrintWriter(transcript, true, StandardCharsets.UTF_8);
    private final IMain intp;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /**
     * Starts an interpreter whose classes go to {@code classDir} and binds {@code spark}.
     *
     * @throws IllegalStateException if the compiler does not start or the bindings fail
     */
    ScalaInterpreter(SparkSession spark, Path classDir) {
        // Scala's Console keeps the System.out it first sees as every thread's default: let that be the
        // real one, not the capture that interpret() installs.
        Console$.MODULE$.out();
        // $line<4 digits><line number>: unique per interpreter, and matches Spark's REPL class pattern \$line\d+.
        System.setProperty("scala.repl.name.line", "$line" + (1000 + SESSIONS.incrementAndGet() % 9000));
        Settings settings = new Settings(message -> {
            writer.println("scalac: " + message);
            return BoxedUnit.UNIT;
        });
        // The test JVM's class path (Surefire sets java.class.path to the real one): MixSpark, Spark, Scala.
        List<String> args = List.of("-Yrepl-class-based", "-Yrepl-outdir", classDir.toString(), "-usejavacp");
        Tuple2<Object, scala.collection.immutable.List<String>> parsed =
                settings.processArguments(CollectionConverters.asScala(args).toList(), true);
        if (!(Boolean) parsed._1()) {
            throw new IllegalStateException("bad interpreter settings " + args + ": " + transcript());
        }
        intp = new IMain(settings, new ReplReporterImpl(settings, writer));
        if (!intp.initializeCompiler()) {
            throw new IllegalStateException("the Scala compiler did not start: " + transcript());
        }
        bind("spark", spark.getClass().getCanonicalName(), spark);
        bind("sc", "org.apache.spark.SparkContext", spark.sparkContext());
        bind("sqlContext", "org.apache.spark.sql.SQLContext", spark.sqlContext());
        for (String line : List.of("import org.apache.spark.SparkContext._", "import spark.implicits._",
                "import spark.sql", "import org.apache.spark.sql.functions._")) {
            Result r = interpret(line);
            if (r.outcome() != Outcome.SUCCESS) {
                throw new IllegalStateException("'" + line + "' failed: " + r.output());
            }
        }
    }

    /**
     * Compiles and runs a paragraph, as Zeppelin does: the whole text in one request, and once
     * more with {@code print("")} appended when it is incomplete (a trailing comment, say).
     * System.out, System.err and Scala's Console go into the result while it runs.
     */
    Result interpret(String code) {
        transcript.reset();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        PrintStream capture = new PrintStream(transcript, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        Thread.currentThread().setContextClassLoader(intp.classLoader());
        try {
            Results.Result r = run(capture, code);
            if (r == Results.Incomplete$.MODULE$) {
                r = run(capture, code + "\nprint(\"\")");
            }
            Outcome outcome = r == Results.Success$.MODULE$ ? Outcome.SUCCESS
                    : r == Results.Incomplete$.MODULE$ ? Outcome.INCOMPLETE : Outcome.ERROR;
            capture.flush();
            return new Result(outcome, transcript());
        } finally {
            restoreStreams();
            Thread.currentThread().setContextClassLoader(context);
        }
    }

    /** The loader of the interpreted classes. */
    ClassLoader classLoader() {
        return intp.classLoader();
    }

    /** Puts back System.out and System.err, which {@link #interpret} redirects while it runs. */
    void restoreStreams() {
        System.setOut(out);
        System.setErr(err);
    }

    /** What the paragraph running now has printed so far. */
    String outputSoFar() {
        return transcript();
    }

    private Results.Result run(PrintStream capture, String code) {
        return Console$.MODULE$.withOut(capture, () -> Console$.MODULE$.withErr(capture, () -> intp.interpret(code)));
    }

    private void bind(String name, String type, Object value) {
        Results.Result r = intp.bind(name, type, value,
                CollectionConverters.asScala(List.of("@transient")).toList());
        if (r != Results.Success$.MODULE$) {
            throw new IllegalStateException("could not bind " + name + ": " + transcript());
        }
    }

    private String transcript() {
        writer.flush();
        return transcript.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        intp.close();
    }
}
