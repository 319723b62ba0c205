package io.mixspark.io;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.EmResult;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.Mixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps a fit's latest checkpoint as {@code checkpoint.json} in a directory on any Hadoop file
 * system. A new checkpoint is written beside the old one and then renamed over it, so a crash
 * mid-write leaves the previous checkpoint intact.
 */
public final class HadoopCheckpointStore implements EmCheckpoint.Store {

    static final int FORMAT_VERSION = 1;
    private static final String FILE = "checkpoint.json";
    /** NaN appears in histories (the first iteration's change): allow it in the file. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final FileSystem fs;
    private final Path file;
    private final Path next;

    public HadoopCheckpointStore(String directory, Configuration conf) throws IOException {
        Path dir = new Path(directory);
        this.fs = dir.getFileSystem(conf);
        fs.mkdirs(dir);
        this.file = new Path(dir, FILE);
        this.next = new Path(dir, FILE + ".next");
    }

    @Override
    public void save(EmCheckpoint c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("fingerprint", c.fingerprint());
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
        try {
            try (OutputStream out = fs.create(next, true)) {
                out.write(JSON.writeValueAsBytes(root));
            }
            fs.delete(file, false);
            if (!fs.rename(next, file)) {
                throw new IOException("could not move " + next + " to " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EmCheckpoint load() {
        try {
            if (!fs.exists(file)) {
                return null;
            }
            JsonNode root;
            try (InputStream in = fs.open(file)) {
                root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (root == null || root.path("formatVersion").asInt() != FORMAT_VERSION) {
                throw new IllegalArgumentException("checkpoint " + file + " has an unknown format; remove it to start"
                        + " afresh");
            }
            JsonNode finishedNode = root.get("finished");
            double[] finished = new double[finishedNode.size()];
            for (int i = 0; i < finished.length; i++) {
                finished[i] = finishedNode.get(i).asDouble();
            }
            return new EmCheckpoint(root.get("fingerprint").asText(), root.get("restart").asInt(),
                    root.get("iteration").asInt(), mixture(root.get("model")), root.get("previousMean").asDouble(),
                    history(root.get("history")), result(root.get("best")), finished);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("checkpoint " + file + " cannot be read (" + e.getMessage()
                    + "); remove it to start afresh", e);
        }
    }

    private static JsonNode mixture(Mixture m) {
        List<String> names = new ArrayList<>();
        for (int a = 1; a <= m.d(); a++) {
            names.add("x" + a);
        }
        return ModelJson.of(m, names, null);
    }

    private Mixture mixture(JsonNode node) {
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
        return out;
    }

    private EmResult result(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode restartsNode = node.get("restartLogLikelihoods");
        double[] restarts = new double[restartsNode.size()];
        for (int i = 0; i < restarts.length; i++) {
            restarts[i] = restartsNode.get(i).asDouble();
        }
        return new EmResult(mixture(node.get("model")), history(node.get("history")), node.get("converged").asBoolean(),
                node.get("logLikelihood").asDouble(), node.get("totalWeight").asDouble(), node.get("rows").asLong(),
                node.get("bic").asDouble(), node.get("aic").asDouble(), node.get("icl").asDouble(),
                node.get("bestRestart").asInt(), restarts, node.get("kernel").asText());
    }
}
