package io.mixspark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1, started from Maven's jars with no
 * Spark download: {@code SPARK_HOME} is a directory whose {@code jars/} links to the provided
 * classpath, a Master and {@code n} Workers run {@code java -cp}, and jobs go in through
 * {@code org.apache.spark.deploy.SparkSubmit}, Spark's own entry point. {@link #close()} kills
 * every JVM it started, executors included, and so does a shutdown hook if the test JVM dies first.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Every JVM here is short-lived and the data tiny: the quick JIT and a small GC start them sooner. */
    private static final String DAEMON_JIT = "-XX:TieredStopAtLevel=1";
    private static final String DAEMON_GC = "-XX:+UseSerialGC";

    private final Path dir;
    private final Path sparkHome;
    private final String classpath;
    private final List<String> jvmFlags;
    private final List<Process> processes = new ArrayList<>();
    private final Thread killer = new Thread(this::killAll, "standalone-cluster-killer");
    private String masterUrl;

    /**
     * @param dir       scratch directory: SPARK_HOME, logs and the workers' work directories
     * @param classpath the provided Spark/Hadoop classpath (spark-classpath.txt's content)
     * @param jvmFlags  Spark's module flags for Java 17
     */
    StandaloneCluster(Path dir, String classpath, List<String> jvmFlags) throws IOException {
        this.dir = dir;
        this.classpath = classpath.trim();
        this.jvmFlags = List.copyOf(jvmFlags);
        this.sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        for (String entry : this.classpath.split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path link = jars.resolve(jar.getFileName());
            if (entry.endsWith(".jar") && Files.notExists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts the Master, then the workers, and waits until every worker has registered. */
    String start(int workers, int coresPerWorker, String memoryPerWorker) throws IOException, InterruptedException {
        Path masterLog = dir.resolve("master.log");
        Process master = launch(masterLog, "-Xmx256m", DAEMON_JIT, DAEMON_GC, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
        Matcher url = awaitLog(master, masterLog, MASTER_URL, 1);
        masterUrl = url.group(1);
        for (int w = 0; w < workers; w++) {
            Path work = Files.createDirectories(dir.resolve("work-" + w));
            launch(dir.resolve("worker-" + w + ".log"), "-Xmx256m", DAEMON_JIT, DAEMON_GC,
                    "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores",
                    String.valueOf(coresPerWorker), "--memory", memoryPerWorker, "--work-dir", work.toString(),
                    masterUrl);
        }
        awaitLog(master, masterLog, Pattern.compile("Registering worker"), workers);
        return masterUrl;
    }

    /** A running spark-submit: its JVM and its log (driver stdout and stderr). */
    record Submission(Process process, Path log) {

        /** Waits for the driver to finish; kills it (and fails) after the timeout. */
        int await(long timeoutSeconds) throws InterruptedException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill(process);
                throw new AssertionError("spark-submit did not finish in " + timeoutSeconds + " s; log tail:\n"
                        + tail(log, 40));
            }
            return process.exitValue();
        }

        String text() {
            return read(log);
        }
    }

    /** Starts {@code SparkSubmit} in client mode against this cluster; the driver runs in that JVM. */
    Submission submit(String name, List<String> sparkArgs, String jar, String mainClass, List<String> appArgs)
            throws IOException {
        List<String> javaArgs = new ArrayList<>(List.of("-Xmx768m", DAEMON_JIT, DAEMON_GC,
                "org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl, "--deploy-mode", "client", "--name", name, "--class", mainClass));
        javaArgs.addAll(sparkArgs);
        javaArgs.add(jar);
        javaArgs.addAll(appArgs);
        Path log = dir.resolve("submit-" + name + ".log");
        return new Submission(launch(log, javaArgs.toArray(String[]::new)), log);
    }

    /** The stderr files of every executor the workers ran ({@code work-N/app-ID/EXECUTOR/stderr}). */
    List<Path> executorStderrs() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.getFileName().toString().equals("stderr")
                            && p.getParent().getParent().getFileName().toString().startsWith("app-"))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    /** The last lines of the master's and workers' logs, for failure messages. */
    String diagnostics() throws IOException {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                s.append("--- ").append(log.getFileName()).append('\n').append(tail(log, 15));
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private Process launch(Path log, String... javaArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classpath);
        command.addAll(Arrays.asList(javaArgs));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // A real deployment: not Spark's test mode, and no settings from the caller's Spark install.
        env.remove("SPARK_TESTING");
        env.remove("SPARK_CONF_DIR");
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = builder.start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** Waits until {@code log} has {@code count} matches of {@code pattern}; returns the last one. */
    private static Matcher awaitLog(Process owner, Path log, Pattern pattern, int count)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Matcher m = pattern.matcher(read(log));
            int found = 0;
            Matcher last = null;
            while (m.find()) {
                found++;
                last = m;
                if (found == count) {
                    return last;
                }
            }
            if (!owner.isAlive()) {
                throw new AssertionError(log.getFileName() + ": the JVM exited with " + owner.exitValue()
                        + " before '" + pattern + "'; log tail:\n" + tail(log, 40));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + count + " x '" + pattern + "' in " + log.getFileName() + " after "
                + START_TIMEOUT.toMillis() / 1000 + " s; log tail:\n" + tail(log, 40));
    }

    private void killAll() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
            processes.clear();
        }
        // Workers first (their executors with them), the Master last.
        for (int i = all.size() - 1; i >= 0; i--) {
            kill(all.get(i));
        }
    }

    /** Kills a JVM and everything it started (a worker's executors), gently first. */
    private static void kill(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                h.destroyForcibly();
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    }
}
