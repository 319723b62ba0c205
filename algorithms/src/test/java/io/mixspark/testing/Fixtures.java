package io.mixspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** Shipped datasets and scikit-learn reference values (made by reference/make_sklearn_reference.py). */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** A numeric dataset: features row-major and the integer label of each row. */
    public record Dataset(String name, String[] features, double[] values, int[] labels) {
        public int d() {
            return features.length;
        }

        public int rows() {
            return labels.length;
        }
    }

    /** The datasets and covariance types of the scikit-learn references (reference/em_NAME.json). */
    public static List<Arguments> sklearnCases() {
        List<Arguments> out = new ArrayList<>();
        for (String dataset : List.of("iris", "wine", "breast_cancer")) {
            for (CovarianceType type : CovarianceType.scikitLearn()) {
                out.add(Arguments.of(dataset, type));
            }
        }
        return out;
    }

    /** Reads {@code datasets/NAME.csv}: numeric features, then an integer {@code label} column. */
    public static Dataset dataset(String name) {
        List<String> lines = text("datasets/" + name + ".csv").lines().filter(l -> !l.isBlank()).toList();
        String[] header = lines.get(0).split(",");
        int d = header.length - 1;
        double[] values = new double[(lines.size() - 1) * d];
        int[] labels = new int[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int a = 0; a < d; a++) {
                values[(i - 1) * d + a] = Double.parseDouble(cells[a]);
            }
            labels[i - 1] = Integer.parseInt(cells[d]);
        }
        return new Dataset(name, Arrays.copyOf(header, d), values, labels);
    }

    public static JsonNode json(String path) {
        try {
            return JSON.readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reference MODEL object ({weights, means, covariances as full matrices}) as a mixture. */
    public static Mixture mixture(JsonNode node, CovarianceType type) {
        return Mixture.fromFullCovariances(type, doubles(node.get("weights")), matrix(node.get("means")),
                tensor(node.get("covariances")));
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    public static double[][] matrix(JsonNode array) {
        double[][] out = new double[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(array.get(i));
        }
        return out;
    }

    private static double[][][] tensor(JsonNode array) {
        double[][][] out = new double[array.size()][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = matrix(array.get(i));
        }
        return out;
    }

    /** A test resource as text; a {@code .gz} resource is decompressed. */
    public static String text(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            InputStream plain = path.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in) : in;
            return new String(plain.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
