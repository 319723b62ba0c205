package io.mixspark.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.em.EmResult;
import io.mixspark.gmm.CovarianceStorage;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code model.json}: a fitted mixture as plain JSON that any language can read. Covariances are
 * full d x d matrices ({@code covariances}), except for models with diagonal covariances (the diag and spherical storages) of more than
 * {@link #FULL_MATRICES_UP_TO} features, whose matrices would be d^2 numbers each: those write the
 * diagonals alone ({@code variances}, d numbers per component). Doubles are written in their
 * shortest exact form, so reading the file back gives the identical mixture.
 */
public final class ModelJson {

    /** Version of this layout; readers reject versions they do not know. */
    public static final int FORMAT_VERSION = 1;

    /** The largest d for which diag and spherical covariances are written as full matrices. */
    public static final int FULL_MATRICES_UP_TO = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelJson() {
    }

    /** A mixture with the names of its feature columns. */
    public record Named(Mixture mixture, List<String> features) {
    }

    /** The JSON of a fitted model, with the fit's statistics. */
    public static ObjectNode of(Mixture m, List<String> features, EmResult fit) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("k", m.k());
        root.put("d", m.d());
        root.put("covarianceType", m.covarianceType().id());
        ArrayNode names = root.putArray("features");
        features.forEach(names::add);
        writeVector(root.putArray("weights"), m.weights());
        ArrayNode means = root.putArray("means");
        CovarianceStorage storage = m.covarianceType().storage();
        boolean diagonal = storage == CovarianceStorage.DIAG || storage == CovarianceStorage.SPHERICAL;
        ArrayNode covariances = root.putArray(diagonal && m.d() > FULL_MATRICES_UP_TO ? "variances" : "covariances");
        for (int c = 0; c < m.k(); c++) {
            writeVector(means.addArray(), m.mean(c));
            if (diagonal && m.d() > FULL_MATRICES_UP_TO) {
                double[] packed = m.covariance(c);
                double[] variances = new double[m.d()];
                java.util.Arrays.fill(variances, packed[0]);
                writeVector(covariances.addArray(), storage == CovarianceStorage.DIAG ? packed : variances);
                continue;
            }
            ArrayNode matrix = covariances.addArray();
            for (double[] row : m.covarianceMatrix(c)) {
                writeVector(matrix.addArray(), row);
            }
        }
        if (fit != null) {
            // The mixture itself cannot hold NaN (Mixture validates); its statistics are checked here.
            for (double v : new double[] {fit.logLikelihood(), fit.bic(), fit.aic(), fit.icl(), fit.totalWeight()}) {
                if (!Double.isFinite(v)) {
                    throw new NumericalFailureException("the fit's statistics are not finite (log-likelihood "
                            + fit.logLikelihood() + ", BIC " + fit.bic() + "); no model is written");
                }
            }
            root.put("logLikelihood", fit.logLikelihood());
            root.put("meanLogLikelihood", fit.meanLogLikelihood());
            root.put("iterations", fit.iterations());
            root.put("converged", fit.converged());
            root.put("bic", fit.bic());
            root.put("bicMclust", -fit.bic());
            root.put("aic", fit.aic());
            root.put("icl", fit.icl());
            root.put("rows", fit.rows());
            root.put("totalWeight", fit.totalWeight());
            if (fit.shrunk()) {
                root.put("covarianceShrinkage", CovarianceShrinkage.OAS.id());
            }
        }
        return root;
    }

    public static String toJson(Mixture m, List<String> features, EmResult fit) {
        return render(of(m, features, fit));
    }

    /** A model.json node ({@link #of}, with any fields a command adds) as the text written. */
    public static String render(ObjectNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("could not render model.json", e);
        }
    }

    /**
     * Reads a model.json text.
     *
     * @param source named in error messages (a path)
     * @throws IllegalArgumentException for corrupt content, a missing field or another format version
     */
    public static Named parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " does not hold a JSON object");
        }
        int version = required(root, "formatVersion", source).asInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException(source + " has model format version " + version
                    + "; this MixSpark reads version " + FORMAT_VERSION);
        }
        try {
            CovarianceType type = CovarianceType.parse(required(root, "covarianceType", source).asText());
            double[] weights = vector(required(root, "weights", source));
            JsonNode meansNode = required(root, "means", source);
            double[][] means = new double[meansNode.size()][];
            for (int c = 0; c < means.length; c++) {
                means[c] = vector(meansNode.get(c));
            }
            List<String> features = new ArrayList<>();
            required(root, "features", source).forEach(n -> features.add(n.asText()));
            Mixture mixture = root.has("variances") && !root.has("covariances")
                    ? fromVariances(type, weights, means, root.get("variances"))
                    : Mixture.fromFullCovariances(type, weights, means, matrices(required(root, "covariances", source)));
            if (features.size() != mixture.d()) {
                throw new IllegalArgumentException("it names " + features.size() + " features for a model of d = "
                        + mixture.d());
            }
            return new Named(mixture, List.copyOf(features));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " holds an invalid model: " + e.getMessage(), e);
        }
    }

    private static double[][][] matrices(JsonNode covNode) {
        double[][][] covariances = new double[covNode.size()][][];
        for (int c = 0; c < covariances.length; c++) {
            JsonNode matrix = covNode.get(c);
            covariances[c] = new double[matrix.size()][];
            for (int i = 0; i < matrix.size(); i++) {
                covariances[c][i] = vector(matrix.get(i));
            }
        }
        return covariances;
    }

    /** A diag or spherical mixture from its covariances' diagonals. */
    private static Mixture fromVariances(CovarianceType type, double[] weights, double[][] means, JsonNode node) {
        if (type.storage() != CovarianceStorage.DIAG && type.storage() != CovarianceStorage.SPHERICAL) {
            throw new IllegalArgumentException("a " + type.id() + " model needs full covariance matrices");
        }
        double[][] packed = new double[node.size()][];
        for (int c = 0; c < packed.length; c++) {
            double[] v = vector(node.get(c));
            if (type.storage() == CovarianceStorage.SPHERICAL) {
                for (double x : v) {
                    if (x != v[0]) {
                        throw new IllegalArgumentException("covariance " + c
                                + " of a " + type.id() + " mixture has unequal variances " + v[0] + " and " + x);
                    }
                }
                v = new double[] {v.length == 0 ? Double.NaN : v[0]};
            }
            packed[c] = v;
        }
        Mixture mixture = new Mixture(type, weights, means, packed);
        if (type.storage() == CovarianceStorage.SPHERICAL && node.size() > 0 && node.get(0).size() != mixture.d()) {
            throw new IllegalArgumentException("covariance 0 has " + node.get(0).size() + " variances for d = "
                    + mixture.d());
        }
        return mixture;
    }

    private static JsonNode required(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(source + " lacks the field '" + field + "'");
        }
        return node;
    }

    private static double[] vector(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("expected an array of numbers, got " + array);
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber()) {
                throw new IllegalArgumentException("expected a number, got " + v);
            }
            out[i] = v.doubleValue();
        }
        return out;
    }

    private static void writeVector(ArrayNode target, double[] values) {
        for (double v : values) {
            target.add(v);
        }
    }
}
