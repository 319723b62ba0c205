package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import io.mixspark.stream.StreamFiles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow DAG {@code airflow/dags/mixspark_daily.py} and its plain-Python task module: both
 * compile, every task's application_args is a valid mixspark command line ({@code --dry-run}),
 * and the choose step reads a real selection.json. The DAG file runs against a small stand-in
 * for Airflow (test resource {@code airflow-stub/}) that records its tasks and edges.
 */
class AirflowDagTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DAGS = Paths.get("..", "airflow", "dags").toAbsolutePath().normalize();
    private static final Path TASKS = DAGS.resolve("mixspark_tasks.py");
    private static final Path DAG = DAGS.resolve("mixspark_daily.py");
    private static final Path STREAM_DAG = DAGS.resolve("mixspark_stream.py");

    private static String python;

    @BeforeAll
    static void findPython() {
        python = onPath("python3").orElse(null);
        Assumptions.assumeTrue(python != null, "python3 is not installed (.ci/run installs it)");
    }

    @Test
    void bothFilesCompile(@TempDir Path dir) throws Exception {
        Result r = python(dir, "-m", "py_compile", TASKS.toString(), DAG.toString(), STREAM_DAG.toString());
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void everyPrintedTaskCommandPassesDryRun(@TempDir Path dir) throws Exception {
        Result printed = python(dir, TASKS.toString(), "args", "--root", dir.toUri() + "2025-01-01", "--k", "4",
                "--covariance", "diag");
        assertEquals(0, printed.exit(), printed.output());
        Map<String, List<String>> tasks = JSON.readValue(printed.output(), new TypeReference<LinkedHashMap<String,
                List<String>>>() { });
        assertEquals(List.of("generate", "select", "fit", "predict"), List.copyOf(tasks.keySet()));
        tasks.forEach((task, args) -> assertDryRunPasses(task, args));
        assertTrue(String.join(" ", tasks.get("fit")).contains("--k 4 --covariance diag"), tasks.get("fit").toString());
    }

    @Test
    void theDagChainsItsTasksAndFitsWithTheModelSelectChose(@TempDir Path dir) throws Exception {
        SharedSpark.session();
        String iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
        Path select = dir.resolve("select");
        assertEquals(0, MixSparkCli.run("select", "--input", iris, "--label-col", "species", "--k", "1..2",
                "--covariance", "spherical,diag", "--output", select.toString()));
        Path selection = select.resolve("selection.json");
        JsonNode chosen = JSON.readTree(selection.toFile()).get("chosen");

        Result read = python(dir, TASKS.toString(), "chosen", selection.toString());
        assertEquals(0, read.exit(), read.output());
        JsonNode fromPython = JSON.readTree(read.output());
        assertEquals(chosen.get("k").asInt(), fromPython.get("k").asInt());
        assertEquals(chosen.get("covarianceType").asText(), fromPython.get("covariance").asText());

        Path probe = Path.of(getClass().getResource("/airflow-stub/probe_dag.py").toURI());
        Result dag = python(dir, probe.toString(), DAGS.toString(), selection.toUri().toString());
        assertEquals(0, dag.exit(), dag.output());
        JsonNode graph = JSON.readTree(dag.output());
        assertEquals("mixspark_daily", graph.get("dag_id").asText());
        assertEquals(JSON.readTree("[[\"generate\",\"select\"],[\"select\",\"choose_model\"],"
                + "[\"choose_model\",\"fit\"],[\"fit\",\"predict\"]]"), graph.get("edges"));
        JsonNode choose = graph.get("tasks").get("choose_model");
        assertEquals(fromPython, choose.get("returns"), "the DAG's choose step returns what select chose");

        // Render the templates as Airflow would for one run, then check every Spark task's command line.
        int k = fromPython.get("k").asInt();
        String covariance = fromPython.get("covariance").asText();
        for (String task : List.of("generate", "select", "fit", "predict")) {
            JsonNode spec = graph.get("tasks").get(task);
            assertEquals("io.mixspark.cli.MixSparkCli", spec.get("java_class").asText());
            assertTrue(spec.get("application").asText().endsWith(".jar"));
            List<String> args = new ArrayList<>();
            for (JsonNode a : spec.get("application_args")) {
                args.add(a.asText()
                        .replace("{{ ds }}", "2025-01-01").replace("{{ ds_nodash }}", "20250101")
                        .replace("{{ ti.xcom_pull(task_ids='choose_model')['k'] }}", Integer.toString(k))
                        .replace("{{ ti.xcom_pull(task_ids='choose_model')['covariance'] }}", covariance));
            }
            assertTrue(args.stream().noneMatch(a -> a.contains("{{")), task + " has an unrendered template: " + args);
            assertDryRunPasses(task, args);
        }
        assertTrue(graph.get("tasks").get("fit").get("application_args").toString().contains("xcom_pull"),
                "fit takes k from the choose step");
    }

    @Test
    void aPartialGridStillChoosesAModelAndLogsWhatFailed(@TempDir Path dir) throws Exception {
        SharedSpark.session();
        Path select = dir.resolve("select");
        List<String> args = new ArrayList<>(List.of("select", "--input",
                Paths.get("src", "test", "resources", "errors", "two-distinct.csv").toAbsolutePath().toString(),
                "--k", "1..3", "--covariance", "diag", "--output", select.toString()));
        Result printed = python(dir, TASKS.toString(), "args", "--root", dir.toUri() + "d", "--k", "1",
                "--covariance", "diag");
        Map<String, List<String>> tasks = JSON.readValue(printed.output(), new TypeReference<LinkedHashMap<String,
                List<String>>>() { });
        assertTrue(tasks.get("select").contains("--allow-partial"), "a failed grid cell must not stop the day");
        args.add("--allow-partial");
        assertEquals(0, MixSparkCli.run(args.toArray(String[]::new)));

        Path selection = select.resolve("selection.json");
        Result read = python(dir, TASKS.toString(), "chosen", selection.toString());
        assertEquals(0, read.exit(), read.output());
        assertEquals(JSON.readTree(selection.toFile()).get("chosen").get("k").asInt(),
                JSON.readTree(read.output()).get("k").asInt());
        assertTrue(read.errors().contains("select could not fit k=3 diag"), read.errors());
    }

    @Test
    void theStreamDagLearnsFromTheLandedFilesAndSummarisesTheirScores(@TempDir Path dir) throws Exception {
        SharedSpark.session();
        Result printed = python(dir, TASKS.toString(), "stream-args", "--root", dir.toUri() + "mixspark");
        assertEquals(0, printed.exit(), printed.output());
        Map<String, List<String>> tasks = JSON.readValue(printed.output(), new TypeReference<LinkedHashMap<String,
                List<String>>>() { });
        assertEquals(List.of("stream"), List.copyOf(tasks.keySet()));
        List<String> stream = tasks.get("stream");
        assertDryRunPasses("stream", stream);

        // The task for real, on three files that landed.
        StreamFiles.write(dir.resolve("mixspark/landing"), StreamFiles.threeClusters(0), 0, 3, 300, 1);
        assertEquals(0, MixSparkCli.run(stream.toArray(String[]::new)));
        Path metrics = dir.resolve("mixspark/stream/metrics.json");
        Result summary = python(dir, TASKS.toString(), "stream-summary", metrics.toString());
        assertEquals(0, summary.exit(), summary.output());
        JsonNode fromPython = JSON.readTree(summary.output());
        assertEquals(3, fromPython.get("batches").asInt(), "one batch per file");
        assertEquals(900, fromPython.get("rows").asInt());
        JsonNode written = JSON.readTree(metrics.toFile());
        assertEquals(written.get("batches").get(2).get("meanLogLikelihood").asDouble(),
                fromPython.get("lastMeanLogLikelihood").asDouble());

        Path probe = Path.of(getClass().getResource("/airflow-stub/probe_dag.py").toURI());
        Result dag = python(dir, probe.toString(), DAGS.toString(), metrics.toString(), "mixspark_stream");
        assertEquals(0, dag.exit(), dag.output());
        JsonNode graph = JSON.readTree(dag.output());
        assertEquals("mixspark_stream", graph.get("dag_id").asText());
        assertEquals(JSON.readTree("[[\"stream\",\"stream_summary\"]]"), graph.get("edges"));
        assertEquals(fromPython, graph.get("tasks").get("stream_summary").get("returns"));
        List<String> args = new ArrayList<>();
        graph.get("tasks").get("stream").get("application_args").forEach(a -> args.add(a.asText()));
        assertTrue(args.containsAll(List.of("--trigger", "available-now")), args.toString());
        assertDryRunPasses("stream", args);
    }

    private static void assertDryRunPasses(String task, List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--dry-run");
        assertEquals(0, MixSparkCli.run(all.toArray(String[]::new)), task + ": mixspark " + String.join(" ", all));
    }

    private record Result(int exit, String output, String errors) {
    }

    private static Result python(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(python);
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("PYTHONPYCACHEPREFIX", dir.resolve("pycache").toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().remove("MIXSPARK_DATA_ROOT");
        builder.environment().remove("MIXSPARK_JOB_JAR");
        Path out = Files.createTempFile(dir, "python-", ".out");
        Path err = Files.createTempFile(dir, "python-", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish in 60 s: " + command);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), p.exitValue() == 0 ? text : text + errors, errors);
    }

    private static Optional<String> onPath(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
