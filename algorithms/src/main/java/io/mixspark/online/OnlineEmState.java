package io.mixspark.online;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where online EM stands after some batches: the mixture, the running sufficient statistics it is
 * the M-step of, the number of updates made and the id of the last batch applied. Immutable.
 *
 * <p>The running statistics are per unit of row weight (the counts sum to 1) and taken about the
 * mixture's own means, so their first moments are zero and only the counts and the scatters are
 * kept: the scatter of component c is {@code sum_i r_ic w_i (x_i - mu_c)(x_i - mu_c)^T} (lower
 * triangle, row-major d x d, for full and tied; the diagonal for diag and spherical), scaled like
 * the counts.
 *
 * <p>{@link #toMap()} turns the state into numbers, lists and strings that JSON writers such as
 * Jackson write exactly (doubles in shortest round-trip form), and {@link #fromMap} reads it back to
 * an equal state, so a stream restarted from a saved state continues bit for bit.
 */
public final class OnlineEmState implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The batch id of a state that has applied none. */
    public static final long NO_BATCH = -1;
    private static final int FORMAT_VERSION = 1;

    private final Mixture model;
    private final double[] counts;
    private final double[] scatters;
    private final long updates;
    private final long lastBatchId;

    /**
     * @param model    the mixture, or null before the first batch
     * @param counts   running counts per component, or null when no batch has been applied to the model
     * @param scatters running scatters (see the class comment), null exactly when counts are
     */
    public OnlineEmState(Mixture model, double[] counts, double[] scatters, long updates, long lastBatchId) {
        if ((counts == null) != (scatters == null) || (model == null && counts != null)) {
            throw new IllegalArgumentException("running statistics need a model, and counts and scatters go together");
        }
        if (counts != null) {
            int size = model.covarianceType().needsFullScatter() ? model.d() * model.d() : model.d();
            if (counts.length != model.k() || scatters.length != model.k() * size) {
                throw new IllegalArgumentException("a model of k=" + model.k() + " needs " + model.k() + " counts and "
                        + model.k() * size + " scatter values, got " + counts.length + " and " + scatters.length);
            }
        }
        if (updates < 0) {
            throw new IllegalArgumentException("updates must be >= 0, got " + updates);
        }
        if (lastBatchId < NO_BATCH) {
            throw new IllegalArgumentException("lastBatchId must be >= " + NO_BATCH + ", got " + lastBatchId);
        }
        this.model = model;
        this.counts = counts == null ? null : counts.clone();
        this.scatters = scatters == null ? null : scatters.clone();
        this.updates = updates;
        this.lastBatchId = lastBatchId;
    }

    /** The state before any batch, without a model: the first batch starts one. */
    public static OnlineEmState empty() {
        return new OnlineEmState(null, null, null, 0, NO_BATCH);
    }

    /**
     * A state that starts from a given mixture, whose running statistics are the ones the mixture
     * implies (count w_c, scatter w_c Sigma_c): the start then weighs like one batch, and the first
     * batch takes the first step rather than replacing it.
     */
    public static OnlineEmState startingFrom(Mixture model) {
        if (model == null) {
            throw new IllegalArgumentException("a starting model is required");
        }
        int k = model.k();
        int d = model.d();
        boolean full = model.covarianceType().needsFullScatter();
        int size = full ? d * d : d;
        double[] scatters = new double[k * size];
        for (int c = 0; c < k; c++) {
            double[][] cov = model.covarianceMatrix(c);
            double w = model.weight(c);
            for (int a = 0; a < d; a++) {
                if (full) {
                    for (int b = 0; b <= a; b++) {
                        scatters[c * size + a * d + b] = w * cov[a][b];
                    }
                } else {
                    scatters[c * size + a] = w * cov[a][a];
                }
            }
        }
        return new OnlineEmState(model, model.weights(), scatters, 0, NO_BATCH);
    }

    /** The mixture, or null before the first batch. */
    public Mixture model() {
        return model;
    }

    public boolean hasModel() {
        return model != null;
    }

    /** Whether running statistics exist (a batch has been applied to the model). */
    public boolean hasStatistics() {
        return counts != null;
    }

    /** Components of the model, 0 without one. */
    public int k() {
        return model == null ? 0 : model.k();
    }

    /** Online-EM updates made so far: t. */
    public long updates() {
        return updates;
    }

    /** The id of the last batch applied, or {@link #NO_BATCH}. */
    public long lastBatchId() {
        return lastBatchId;
    }

    /** Whether a batch with this id has already been applied (ids increase, as Structured Streaming's do). */
    public boolean hasApplied(long batchId) {
        return batchId <= lastBatchId;
    }

    /** Running counts (a copy), or null. */
    public double[] counts() {
        return counts == null ? null : counts.clone();
    }

    /** Running scatters (a copy), or null. */
    public double[] scatters() {
        return scatters == null ? null : scatters.clone();
    }

    /** This state with the batch id moved on and nothing else changed (an empty batch). */
    OnlineEmState passing(long batchId) {
        return new OnlineEmState(model, counts, scatters, updates, batchId);
    }

    /** The state as JSON-ready values: numbers, strings and lists of doubles. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("formatVersion", FORMAT_VERSION);
        out.put("updates", updates);
        out.put("lastBatchId", lastBatchId);
        if (model != null) {
            int k = model.k();
            out.put("covarianceType", model.covarianceType().id());
            out.put("k", k);
            out.put("d", model.d());
            out.put("weights", model.weights());
            double[] covariances = new double[0];
            for (int c = 0; c < k; c++) {
                covariances = concat(covariances, model.covariance(c));
            }
            out.put("means", model.meansView().clone());
            out.put("covariances", covariances);
            if (counts != null) {
                out.put("counts", counts.clone());
                out.put("scatters", scatters.clone());
            }
        }
        return out;
    }

    /**
     * Reads {@link #toMap()}'s values back, from the map itself or as a JSON reader returns it (numbers
     * as any {@link Number}, arrays as lists).
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static OnlineEmState fromMap(Map<String, ?> map) {
        int version = (int) number(map, "formatVersion").longValue();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("online EM state format " + version + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        long updates = number(map, "updates").longValue();
        long lastBatchId = number(map, "lastBatchId").longValue();
        if (!map.containsKey("covarianceType")) {
            return new OnlineEmState(null, null, null, updates, lastBatchId);
        }
        CovarianceType type = CovarianceType.parse(String.valueOf(map.get("covarianceType")));
        int k = (int) number(map, "k").longValue();
        int d = (int) number(map, "d").longValue();
        double[] weights = doubles(map, "weights");
        double[] means = doubles(map, "means");
        double[] covariances = doubles(map, "covariances");
        int size = switch (type) {
            case FULL, TIED -> d * d;
            case DIAG -> d;
            case SPHERICAL -> 1;
        };
        if (k < 1 || d < 1 || weights.length != k || means.length != k * d || covariances.length != k * size) {
            throw new IllegalArgumentException("online EM state of k=" + k + ", d=" + d + " has " + weights.length
                    + " weights, " + means.length + " mean values and " + covariances.length + " covariance values");
        }
        double[][] meanRows = new double[k][];
        double[][] covarianceRows = new double[k][];
        for (int c = 0; c < k; c++) {
            meanRows[c] = Arrays.copyOfRange(means, c * d, c * d + d);
            covarianceRows[c] = Arrays.copyOfRange(covariances, c * size, c * size + size);
        }
        Mixture model = new Mixture(type, weights, meanRows, covarianceRows);
        double[] counts = map.containsKey("counts") ? doubles(map, "counts") : null;
        double[] scatters = map.containsKey("scatters") ? doubles(map, "scatters") : null;
        return new OnlineEmState(model, counts, scatters, updates, lastBatchId);
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("online EM state needs a number '" + key + "', got " + value);
        }
        return n;
    }

    private static double[] doubles(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value instanceof double[] array) {
            return array.clone();
        }
        if (value instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException("online EM state '" + key + "' holds a non-number " + list.get(i));
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw new IllegalArgumentException("online EM state needs a list of numbers '" + key + "', got " + value);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnlineEmState other && updates == other.updates && lastBatchId == other.lastBatchId
                && java.util.Objects.equals(model, other.model) && Arrays.equals(counts, other.counts)
                && Arrays.equals(scatters, other.scatters);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(model, updates, lastBatchId, Arrays.hashCode(counts));
    }

    @Override
    public String toString() {
        return "OnlineEmState(updates=" + updates + ", lastBatchId=" + lastBatchId + ", " + model + ")";
    }
}
