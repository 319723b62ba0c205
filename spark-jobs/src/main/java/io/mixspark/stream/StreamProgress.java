package io.mixspark.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.io.ModelJson;
import io.mixspark.online.OnlineEmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a stream has learnt and done: the online-EM state (with the id of the last batch applied)
 * and one record per applied batch. It is saved whole after every batch, and model.json and
 * metrics.json are written from it alone, so a restarted query writes exactly what the
 * uninterrupted one would have.
 *
 * @param settings what the state was learnt with; a restart with other settings is refused
 * @param features the feature columns, in the model's order
 * @param kernel   the likelihood kernel of the run that wrote it (a restart may use another)
 * @param output   the qualified output directory the stream writes; null in states saved before
 *                 it was recorded (then any output is accepted)
 * @param outputClaimed whether the output has been replaced whole by this stream's own files;
 *                 until it is, the next write swaps a staged directory in over whatever is there
 */
record StreamProgress(String settings, List<String> features, String kernel, OnlineEmState state,
                      List<BatchRecord> batches, String output, boolean outputClaimed) {

    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One applied micro-batch.
     *
     * @param meanLogLikelihood of the batch's rows under the model before the update; NaN for the
     *                          batch the first model is fitted on (written as null)
     * @param k                 components after the update
     */
    record BatchRecord(long batchId, long rows, double meanLogLikelihood, int k, double seconds) {
    }

    StreamProgress {
        features = List.copyOf(features);
        batches = List.copyOf(batches);
    }

    /** The progress after one more batch. */
    StreamProgress next(OnlineEmState after, BatchRecord record) {
        List<BatchRecord> all = new ArrayList<>(batches);
        all.add(record);
        return new StreamProgress(settings, features, kernel, after, all, output, outputClaimed);
    }

    /** The same progress, reporting the kernel a restarted run computes with. */
    StreamProgress withKernel(String running) {
        return new StreamProgress(settings, features, running, state, batches, output, outputClaimed);
    }

    /** The same progress, with the output replaced whole by this stream's files. */
    StreamProgress claimed() {
        return new StreamProgress(settings, features, kernel, state, batches, output, true);
    }

    long rows() {
        return batches.stream().mapToLong(BatchRecord::rows).sum();
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("settings", settings);
        features.forEach(root.putArray("features")::add);
        root.put("kernel", kernel);
        root.set("state", JSON.valueToTree(state.toMap()));
        root.set("batches", batchesJson());
        if (output != null) {
            root.put("output", output);
        }
        root.put("outputClaimed", outputClaimed);
        return root;
    }

    /** @throws IllegalArgumentException for a document of another format or a malformed state */
    @SuppressWarnings("unchecked")
    static StreamProgress fromJson(JsonNode root, String source) {
        int version = root.path("formatVersion").asInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("the stream state " + source + " has format version " + version
                    + "; this MixSpark reads version " + FORMAT_VERSION);
        }
        List<String> features = new ArrayList<>();
        root.get("features").forEach(f -> features.add(f.asText()));
        List<BatchRecord> batches = new ArrayList<>();
        for (JsonNode b : root.get("batches")) {
            JsonNode mean = b.get("meanLogLikelihood");
            batches.add(new BatchRecord(b.get("batchId").asLong(), b.get("rows").asLong(),
                    mean == null || mean.isNull() ? Double.NaN : mean.asDouble(), b.get("k").asInt(),
                    b.get("seconds").asDouble()));
        }
        OnlineEmState state = OnlineEmState.fromMap(JSON.convertValue(root.get("state"), Map.class));
        JsonNode output = root.get("output");
        JsonNode claimed = root.get("outputClaimed");
        // States saved before the claim was recorded had written their outputs after every batch.
        return new StreamProgress(root.get("settings").asText(), features, root.get("kernel").asText(), state,
                batches, output == null ? null : output.asText(),
                claimed == null ? !batches.isEmpty() : claimed.asBoolean());
    }

    /** model.json as fit writes it, with the rows learnt from and the last batch applied. */
    String modelJson() {
        ObjectNode model = ModelJson.of(state.model(), features, null);
        model.put("rows", rows());
        model.put("batches", batches.size());
        model.put("lastBatchId", state.lastBatchId());
        return ModelJson.render(model);
    }

    /** metrics.json: per batch its id, rows, mean log-likelihood before the update, k and seconds. */
    String metricsJson() {
        ObjectNode m = JSON.createObjectNode();
        m.put("command", "stream");
        m.put("kernel", kernel);
        m.put("rows", rows());
        m.put("k", state.k());
        m.put("lastBatchId", state.lastBatchId());
        m.set("batches", batchesJson());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not render metrics.json", e);
        }
    }

    private ArrayNode batchesJson() {
        ArrayNode out = JSON.createArrayNode();
        for (BatchRecord b : batches) {
            ObjectNode o = out.addObject();
            o.put("batchId", b.batchId()).put("rows", b.rows());
            if (Double.isNaN(b.meanLogLikelihood())) {
                o.putNull("meanLogLikelihood");
            } else {
                o.put("meanLogLikelihood", b.meanLogLikelihood());
            }
            o.put("k", b.k()).put("seconds", b.seconds());
        }
        return out;
    }
}
