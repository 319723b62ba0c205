package io.mixspark.io;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitData;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.Mixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps a fit's checkpoints in a directory on any Hadoop file system, as numbered generations
 * {@code checkpoint-0000000001.json}, {@code checkpoint-0000000002.json}, ... A save writes the
 * next generation under a temporary name of its own ({@code checkpoint-N.json.<uuid>.writing}, so
 * a killed save's file, whose HDFS lease outlives its writer for a while, is never written
 * again), renames it to its generation's name (a new name, so nothing is replaced), and only then
 * deletes the older generations and abandoned temporary files; a load reads the newest
 * generation that is complete. A process killed at any step of a save thus leaves the previous checkpoint,
 * or the new one, readable. On object stores, where a rename is a copy, a half-copied newest
 * generation does not parse and the load falls back to the one before, saying so in
 * {@link #source()}.
 */
public final class HadoopCheckpointStore implements EmCheckpoint.Store {

    static final int FORMAT_VERSION = 2;
    private static final Pattern GENERATION = Pattern.compile("checkpoint-(\\d{10})\\.json");
    /** A save's temporary file (earlier builds named it without the uuid). */
    private static final Pattern WRITING = Pattern.compile("checkpoint-(\\d{10})\\.json(\\.[0-9a-f-]{36})?\\.writing");
    /** The single checkpoint file of builds before numbered generations, which is not read. */
    private static final String SINGLE_FILE = "checkpoint.json";
    /** NaN appears in histories (the first iteration's change): allow it in the file. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** The steps of a save, at which a test's {@link StepHook} can stop the process. */
    enum Step {
        /** Half of the new generation's bytes are written to its temporary file. */
        PARTLY_WRITTEN,
        /** The temporary file is complete and closed. */
        WRITTEN,
        /** It has its generation's name. */
        PUBLISHED,
        /** The older generations are deleted. */
        PRUNED
    }

    /** Hears each step of a save. */
    interface StepHook {
        void reached(Step step);
    }

    private final FileSystem fs;
    private final Path dir;
    private final StepHook hook;
    private String source;
    private final List<String> notes = new ArrayList<>();

    public HadoopCheckpointStore(String directory, Configuration conf) throws IOException {
        this(directory, conf, step -> { });
    }

    HadoopCheckpointStore(String directory, Configuration conf, StepHook hook) throws IOException {
        this.dir = new Path(directory);
        this.fs = dir.getFileSystem(conf);
        this.hook = hook;
        fs.mkdirs(dir);
        this.source = dir.toString();
    }

    @Override
    public void save(EmCheckpoint c) {
        long generation = 1;
        Path file = dir;
        try {
            List<Long> existing = generations();
            generation = existing.isEmpty() ? 1 : existing.get(0) + 1;
            file = file(generation);
            Path writing = new Path(dir, file.getName() + "." + UUID.randomUUID() + ".writing");
            byte[] bytes = JSON.writeValueAsBytes(toJson(c));
            try (FSDataOutputStream out = fs.create(writing, true)) {
                out.write(bytes, 0, bytes.length / 2);
                out.hflush();
                hook.reached(Step.PARTLY_WRITTEN);
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            }
            hook.reached(Step.WRITTEN);
            if (!fs.rename(writing, file)) {
                throw new IOException("could not rename " + writing + " to " + file);
            }
            hook.reached(Step.PUBLISHED);
            for (FileStatus old : fs.listStatus(dir)) {
                String name = old.getPath().getName();
                // Older generations, and saves of this generation or before that were cut short.
                long older = generation(GENERATION, name);
                long abandoned = generation(WRITING, name);
                if ((older >= 0 && older < generation) || (abandoned >= 0 && abandoned <= generation)) {
                    fs.delete(old.getPath(), false);
                }
            }
            hook.reached(Step.PRUNED);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EmCheckpoint load() {
        notes.clear();
        List<Long> generations;
        try {
            generations = generations();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        String unreadable = null;
        for (long generation : generations) {
            Path file = file(generation);
            try {
                EmCheckpoint checkpoint = read(file);
                source = file + (unreadable == null ? "" : " (the newer " + unreadable + ")");
                return checkpoint;
            } catch (IOException | RuntimeException e) {
                if (e instanceof EmCheckpoint.MismatchException mismatch) {
                    throw mismatch;
                }
                unreadable = unreadable != null ? unreadable
                        : file.getName() + " cannot be read: " + e.getMessage();
            }
        }
        if (unreadable != null) {
            throw new EmCheckpoint.MismatchException("no checkpoint in " + dir + " can be read (" + unreadable + ")");
        }
        if (generations.isEmpty() && exists(new Path(dir, SINGLE_FILE))) {
            notes.add("the checkpoint directory " + dir + " holds only " + SINGLE_FILE + ", written by an earlier"
                    + " MixSpark in a format this one does not read; starting afresh (the file is left in place)");
        }
        return null;
    }

    /** The file the last load read, and a newer one it could not read, if any; else the directory. */
    @Override
    public String source() {
        return source;
    }

    /** What the last load found in the directory and did not read, one sentence each. */
    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private boolean exists(Path file) {
        try {
            return fs.exists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not look for " + file + ": " + e.getMessage(), e);
        }
    }

    /** The generations present, newest first. */
    private List<Long> generations() throws IOException {
        List<Long> out = new ArrayList<>();
        for (FileStatus status : fs.listStatus(dir)) {
            long generation = generation(GENERATION, status.getPath().getName());
            if (generation >= 0) {
                out.add(generation);
            }
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /** The generation a file of the given kind is for, or -1 if the name is not of that kind. */
    private static long generation(Pattern kind, String name) {
        Matcher m = kind.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private Path file(long generation) {
        return new Path(dir, String.format(Locale.ROOT, "checkpoint-%010d.json", generation));
    }

    private static ObjectNode toJson(EmCheckpoint c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("fingerprint", c.fingerprint());
        ObjectNode data = root.putObject("data");
        ArrayNode features = data.putArray("features");
        c.data().features().forEach(features::add);
        data.put("d", c.data().d()).put("rows", c.data().rows()).put("totalWeight", c.data().totalWeight())
                .put("digest", c.data().digest());
        root.put("restart", c.restart());
        root.put("iteration", c.iteration());
        root.set("model", c.model() == null ? null : mixture(c.model()));
        root.put("previousMean", c.previousMean());
        root.set("history", history(c.history()));
        root.set("best", c.best() == null ? null : result(c.best()));
        ArrayNode finished = root.putArray("finished");
        for (double v : c.finished()) {
            finished.add(v);
        }
        return root;
    }

    private EmCheckpoint read(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = fs.open(file)) {
            root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        if (root == null || !root.isObject()) {
            throw new IOException("it is empty or not a JSON object");
        }
        int version = root.path("formatVersion").asInt();
        if (version != FORMAT_VERSION) {
            throw new EmCheckpoint.MismatchException("the checkpoint " + file + " has format version " + version
                    + "; this MixSpark reads version " + FORMAT_VERSION);
        }
        JsonNode finishedNode = root.get("finished");
        double[] finished = new double[finishedNode.size()];
        for (int i = 0; i < finished.length; i++) {
            finished[i] = finishedNode.get(i).asDouble();
        }
        JsonNode data = root.get("data");
        List<String> features = new ArrayList<>();
        data.get("features").forEach(f -> features.add(f.asText()));
        FitData fitData = new FitData(features, data.get("d").asInt(), data.get("rows").asLong(),
                data.get("totalWeight").asDouble(), data.get("digest").asText());
        return new EmCheckpoint(root.get("fingerprint").asText(), fitData, root.get("restart").asInt(),
                root.get("iteration").asInt(), mixture(root.get("model"), file), root.get("previousMean").asDouble(),
                history(root.get("history")), result(root.get("best"), file), finished);
    }

    private static JsonNode mixture(Mixture m) {
        List<String> names = new ArrayList<>();
        for (int a = 1; a <= m.d(); a++) {
            names.add("x" + a);
        }
        return ModelJson.of(m, names, null);
    }

    private static Mixture mixture(JsonNode node, Path file) {
        return node == null || node.isNull() ? null : ModelJson.parse(node.toString(), file.toString()).mixture();
    }

    private static ArrayNode history(List<IterationRecord> history) {
        ArrayNode out = JSON.createArrayNode();
        for (IterationRecord r : history) {
            out.addObject().put("iteration", r.iteration()).put("meanLogLikelihood", r.meanLogLikelihood())
                    .put("change", r.change()).put("seconds", r.seconds()).put("components", r.components());
        }
        return out;
    }

    private static List<IterationRecord> history(JsonNode node) {
        List<IterationRecord> out = new ArrayList<>();
        for (JsonNode r : node) {
            out.add(new IterationRecord(r.get("iteration").asInt(), r.get("meanLogLikelihood").asDouble(),
                    r.get("change").asDouble(), r.get("seconds").asDouble(), r.get("components").asInt()));
        }
        return out;
    }

    private static ObjectNode result(EmResult r) {
        ObjectNode out = JSON.createObjectNode();
        out.set("model", mixture(r.model()));
        out.set("history", history(r.history()));
        out.put("converged", r.converged()).put("logLikelihood", r.logLikelihood())
                .put("totalWeight", r.totalWeight()).put("rows", r.rows()).put("bic", r.bic()).put("aic", r.aic())
                .put("icl", r.icl()).put("bestRestart", r.bestRestart()).put("kernel", r.kernel());
        ArrayNode restarts = out.putArray("restartLogLikelihoods");
        for (double v : r.restartLogLikelihoods()) {
            restarts.add(v);
        }
        if (r.shrunk()) {
            ArrayNode rho = out.putArray("shrinkageIntensities");
            for (double v : r.shrinkageIntensities()) {
                rho.add(v);
            }
        }
        return out;
    }

    private static EmResult result(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode restartsNode = node.get("restartLogLikelihoods");
        double[] restarts = new double[restartsNode.size()];
        for (int i = 0; i < restarts.length; i++) {
            restarts[i] = restartsNode.get(i).asDouble();
        }
        // Absent in checkpoints of fits without shrinkage (and in those written before it existed).
        JsonNode rhoNode = node.get("shrinkageIntensities");
        double[] rho = new double[rhoNode == null ? 0 : rhoNode.size()];
        for (int i = 0; i < rho.length; i++) {
            rho[i] = rhoNode.get(i).asDouble();
        }
        return new EmResult(mixture(node.get("model"), file), history(node.get("history")),
                node.get("converged").asBoolean(), node.get("logLikelihood").asDouble(),
                node.get("totalWeight").asDouble(), node.get("rows").asLong(),
                node.get("bic").asDouble(), node.get("aic").asDouble(), node.get("icl").asDouble(),
                node.get("bestRestart").asInt(), restarts, node.get("kernel").asText(), rho);
    }
}
