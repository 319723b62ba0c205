package io.mixspark.mclust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reference fits from R's mclust (test resources {@code mclust/}, made by
 * {@code mclust/make_mclust_reference.R}; see {@code mclust/README.md}).
 *
 * <p>Component order is mclust's: the start labels fix it, so a fit from {@link Start#labels} can be compared
 * component by component. Labels are 0-based here (mclust's are 1-based). Matrices are
 * {@code [component][row][column]}, means {@code [component][feature]}.
 */
public final class MclustReference {

    /** mclust's 14 multivariate models, in mclust's order ({@code mclust.options("emModelNames")}). */
    public static final List<String> MODELS = List.of("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE",
            "EVE", "VVE", "EEV", "VEV", "EVV", "VVV");

    /** The datasets every model is checked on (test resources {@code datasets/NAME.csv}). */
    public static final List<String> FOUNDATION = List.of("iris", "wine", "breast_cancer");

    private static final ObjectMapper JSON = new ObjectMapper();

    private MclustReference() {
    }

    /** A dataset as mclust saw it: the feature columns named by the fixture, row-major. */
    public record Data(String name, String[] features, int n, int d, double[] values) {
        public double value(int row, int feature) {
            return values[row * d + feature];
        }
    }

    /** mclust's start for G components: the hard partition mclustBIC turns into z with {@code unmap}. */
    public record Start(int g, int[] labels) {
        /** The 0/1 responsibilities mclust's {@code me()} starts from, {@code [row][component]}. */
        public double[][] z() {
            double[][] z = new double[labels.length][g];
            for (int i = 0; i < labels.length; i++) {
                z[i][labels[i]] = 1.0;
            }
            return z;
        }
    }

    /** How mclust made the starts of one dataset, and the start for each G. */
    public record Starts(String dataset, int n, int d, String[] features, String hcModelName, String hcUse,
                         Map<Integer, Start> byG) {
        public Start start(int g) {
            Start s = byG.get(g);
            if (s == null) {
                throw new IllegalArgumentException("no start for G = " + g + " in " + dataset);
            }
            return s;
        }
    }

    /** Fitted parameters; {@code sigma} is null where mclust returned none, scale/shape where it has them. */
    public record Parameters(double[] pro, double[][] mean, double[][][] sigma, double[] scale, double[] shape) {
    }

    /** The conjugate prior mclust's {@code defaultPrior} built for one cell; scale is d x d or one number. */
    public record Prior(double shrinkage, double[] mean, double dof, double[][] scale) {
    }

    /**
     * One (model, G) fit. {@code loglik} and {@code bic} are NaN when the fit failed; {@code bic} has mclust's
     * sign ({@code 2 loglik - df log n}); {@code loglikOfParameters} is the log-likelihood recomputed by mclust
     * from the returned parameters.
     */
    public record Cell(String model, int g, boolean failed, String message, Integer returnCode, double loglik,
                       int df, double bic, Integer iterations, Integer innerIterations, double loglikOfParameters,
                       Parameters parameters, Prior prior) {
    }

    /** The me() fits of one dataset from mclust's starts, with the EM control they used. */
    public record Table(String dataset, int n, int d, boolean prior, double[] tol, double[] itmax, List<Cell> cells) {
        public Cell cell(String model, int g) {
            for (Cell c : cells) {
                if (c.model.equals(model) && c.g == g) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no cell " + model + " G = " + g + " in " + dataset);
        }
    }

    public static Starts starts(String dataset) {
        JsonNode root = json("mclust/starts/" + dataset + ".json");
        int base = root.get("labelsBase").asInt();
        Map<Integer, Start> byG = new LinkedHashMap<>();
        root.get("labels").fields().forEachRemaining(e -> {
            int g = Integer.parseInt(e.getKey());
            int[] labels = new int[e.getValue().size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = e.getValue().get(i).asInt() - base;
            }
            byG.put(g, new Start(g, labels));
        });
        return new Starts(dataset, root.get("n").asInt(), root.get("d").asInt(), strings(root.get("features")),
                text(root.get("hcModelName")), root.get("hcUse").asText(), byG);
    }

    /** The unregularised me() fits, G = 1..5 (file {@code mclust/me/NAME.json.gz}). */
    public static Table me(String dataset) {
        return table(json("mclust/me/" + dataset + ".json.gz"));
    }

    /** The data of a reference dataset: {@code datasets/NAME.csv}, or {@code mclust/data/NAME.csv}. */
    public static Data data(String dataset) {
        String[] features = starts(dataset).features();
        String csv = resourceExists("datasets/" + dataset + ".csv") ? "datasets/" + dataset + ".csv"
                : "mclust/data/" + dataset + ".csv";
        List<String> lines = resource(csv).lines().filter(l -> !l.isBlank()).toList();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int[] columns = new int[features.length];
        for (int a = 0; a < features.length; a++) {
            columns[a] = header.indexOf(features[a]);
            if (columns[a] < 0) {
                throw new IllegalStateException(csv + " has no column " + features[a]);
            }
        }
        int n = lines.size() - 1;
        double[] values = new double[n * features.length];
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",");
            for (int a = 0; a < features.length; a++) {
                values[i * features.length + a] = Double.parseDouble(cells[columns[a]]);
            }
        }
        return new Data(dataset, features, n, features.length, values);
    }

    static Table table(JsonNode root) {
        List<Cell> cells = new ArrayList<>();
        for (JsonNode c : root.get("cells")) {
            cells.add(cell(c));
        }
        JsonNode control = root.get("control");
        return new Table(root.get("dataset").asText(), root.get("n").asInt(), root.get("d").asInt(),
                root.hasNonNull("prior"), doubles(control.get("tol")), doubles(control.get("itmax")), cells);
    }

    private static Cell cell(JsonNode c) {
        return new Cell(c.get("model").asText(), c.get("G").asInt(), c.get("failed").asBoolean(), text(c.get("message")),
                integer(c.get("returnCode")), number(c.get("loglik")), c.get("df").asInt(), number(c.get("bic")),
                integer(c.get("iterations")), integer(c.get("innerIterations")), number(c.get("loglikOfParameters")),
                parameters(c.get("parameters")), prior(c.get("defaultPrior")));
    }

    private static Parameters parameters(JsonNode p) {
        if (p == null || p.isNull()) {
            return null;
        }
        return new Parameters(doubles(p.get("pro")), matrix(p.get("mean")), tensor(p.get("sigma")),
                doubles(p.get("scale")), doubles(p.get("shape")));
    }

    private static Prior prior(JsonNode p) {
        if (p == null || p.isNull()) {
            return null;
        }
        JsonNode scale = p.get("scale");
        double[][] s = scale.size() > 0 && scale.get(0).isArray() ? matrix(scale) : new double[][] {doubles(scale)};
        return new Prior(number(p.get("shrinkage")), doubles(p.get("mean")), number(p.get("dof")), s);
    }

    static double number(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }

    private static Integer integer(JsonNode node) {
        return node == null || node.isNull() ? null : node.asInt();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String[] strings(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asText();
        }
        return out;
    }

    static double[] doubles(JsonNode array) {
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            return new double[] {number(array)};
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(array.get(i));
        }
        return out;
    }

    static double[][] matrix(JsonNode array) {
        if (array == null || array.isNull()) {
            return null;
        }
        double[][] out = new double[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(array.get(i));
        }
        return out;
    }

    private static double[][][] tensor(JsonNode array) {
        if (array == null || array.isNull()) {
            return null;
        }
        double[][][] out = new double[array.size()][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = matrix(array.get(i));
        }
        return out;
    }

    static JsonNode json(String path) {
        try {
            return JSON.readTree(resource(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean resourceExists(String path) {
        return MclustReference.class.getClassLoader().getResource(path) != null;
    }

    /** A test resource as text; a {@code .gz} resource is decompressed. */
    private static String resource(String path) {
        try (InputStream in = MclustReference.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            InputStream plain = path.endsWith(".gz") ? new GZIPInputStream(in) : in;
            return new String(plain.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
