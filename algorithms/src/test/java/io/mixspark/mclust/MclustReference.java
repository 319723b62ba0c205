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

    /** The project's shipped datasets (test resources {@code datasets/NAME.csv}). */
    public static final List<String> FOUNDATION = List.of("iris", "wine", "breast_cancer");

    /** Real datasets with a fit for every model and G (mclust's diabetes and thyroid are in {@code mclust/data/}). */
    public static final List<String> COMPLETE = List.of("iris", "wine", "diabetes", "thyroid");

    /** Every dataset with fixtures: the real ones, mclust's acidity (d = 1) and the generated d30. */
    public static final List<String> ALL = List.of("iris", "wine", "breast_cancer", "diabetes", "thyroid", "acidity",
            "d30");

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

    /**
     * mclust's agglomerative hierarchy: {@code merges[i]} joins the classes of rows {@code merges[i][0]} and
     * {@code merges[i][1]} (0-based here; a class is named by its smallest row, which it keeps), starting from
     * {@code initialPartition}; {@code transformedData} is what {@code hc} ran on ({@code use = "SVD"}), row-major.
     */
    public record Hierarchy(String dataset, String modelName, String use, int[] initialPartition, int[][] merges,
                            double[][] transformedData) {
        /** mclust's {@code hclass}: the first k - G merges, classes numbered 0.. in order of first appearance. */
        public int[] classes(int g) {
            int[] label = initialPartition.clone();
            int k = (int) Arrays.stream(label).distinct().count();
            for (int m = 0; m < k - g; m++) {
                int keep = Math.min(merges[m][0], merges[m][1]);
                int gone = Math.max(merges[m][0], merges[m][1]);
                for (int i = 0; i < label.length; i++) {
                    if (label[i] == gone) {
                        label[i] = keep;
                    }
                }
            }
            Map<Integer, Integer> order = new LinkedHashMap<>();
            int[] out = new int[label.length];
            for (int i = 0; i < label.length; i++) {
                out[i] = order.computeIfAbsent(label[i], x -> order.size());
            }
            return out;
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
     * from the returned parameters; {@code tol} is the cell's {@code emControl} tolerance (EM's, then the
     * iterative M-step's), the table's except for the slow models at d = 30.
     */
    public record Cell(String model, int g, boolean failed, String message, Integer returnCode, double loglik,
                       int df, double bic, Integer iterations, Integer innerIterations, double loglikOfParameters,
                       Parameters parameters, Prior prior, double[] tol) {
    }

    /**
     * The me() fits of one dataset from mclust's starts, with the EM control they used; {@code skipped} lists
     * the models left out because mclust takes too long on them (see the README).
     */
    public record Table(String dataset, int n, int d, boolean prior, double[] tol, double[] itmax, List<String> skipped,
                        List<Cell> cells) {
        public Cell cell(String model, int g) {
            for (Cell c : cells) {
                if (c.model.equals(model) && c.g == g) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no cell " + model + " G = " + g + " in " + dataset);
        }
    }

    /** One cell of mclustBIC's table: NaN bic where mclust could not fit (NA), with its return code. */
    public record BicCell(String model, int g, double bic, int df, int returnCode, boolean failed) {
    }

    /** The model and G mclust picks (the best BIC), refitted the way {@code Mclust()} refits it. */
    public record Chosen(String model, int g, double bic, double loglik, int df) {
    }

    /**
     * {@code mclustBIC(data, G = 1:9)} at mclust's default EM control, with or without {@code priorControl()};
     * {@code refused} lists the models mclust drops when the prior is on, {@code skipped} those left out because
     * mclust takes too long on them (the choice is then among the others).
     */
    public record BicTable(String dataset, int n, int d, boolean prior, double[] tol, List<String> fitted,
                           List<String> refused, List<String> skipped, List<BicCell> cells, Chosen chosen,
                           List<String> top3) {
        public BicCell cell(String model, int g) {
            for (BicCell c : cells) {
                if (c.model.equals(model) && c.g == g) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no BIC cell " + model + " G = " + g + " in " + dataset);
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

    /** The hierarchy behind the starts of a multivariate dataset (file {@code mclust/starts/NAME_hc.json.gz}). */
    public static Hierarchy hierarchy(String dataset) {
        JsonNode root = json("mclust/starts/" + dataset + "_hc.json.gz");
        JsonNode partition = root.get("initialPartition");
        int[] initial = new int[partition.size()];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = partition.get(i).asInt() - 1;
        }
        JsonNode pairs = root.get("merges");
        int[][] merges = new int[pairs.size()][];
        for (int m = 0; m < merges.length; m++) {
            merges[m] = new int[] {pairs.get(m).get(0).asInt() - 1, pairs.get(m).get(1).asInt() - 1};
        }
        return new Hierarchy(root.get("dataset").asText(), root.get("modelName").asText(), root.get("use").asText(),
                initial, merges, matrix(root.get("transformedData")));
    }

    /** The unregularised me() fits, G = 1..5 (file {@code mclust/me/NAME.json.gz}). */
    public static Table me(String dataset) {
        return table(json("mclust/me/" + dataset + ".json.gz"));
    }

    /** The same me() fits as {@link #me} with mclust's default conjugate prior (file {@code mclust/prior/}). */
    public static Table prior(String dataset) {
        return table(json("mclust/prior/" + dataset + ".json.gz"));
    }

    /** mclust's BIC table and choice for G = 1..9 (files {@code mclust/bic/NAME.json}, {@code NAME_prior.json}). */
    public static BicTable bic(String dataset, boolean prior) {
        JsonNode root = json("mclust/bic/" + dataset + (prior ? "_prior" : "") + ".json");
        List<BicCell> cells = new ArrayList<>();
        for (JsonNode c : root.get("cells")) {
            cells.add(new BicCell(c.get("model").asText(), c.get("G").asInt(), number(c.get("bic")), c.get("df").asInt(),
                    c.get("returnCode").asInt(), c.get("failed").asBoolean()));
        }
        JsonNode ch = root.get("chosen");
        Chosen chosen = new Chosen(ch.get("model").asText(), ch.get("G").asInt(), number(ch.get("bic")),
                number(ch.get("loglik")), ch.get("df").asInt());
        return new BicTable(root.get("dataset").asText(), root.get("n").asInt(), root.get("d").asInt(),
                root.hasNonNull("prior"), doubles(root.get("control").get("tol")),
                List.of(strings(root.get("modelsFitted"))), List.of(strings(root.get("modelsRefused"))),
                List.of(strings(root.get("modelsSkipped"))), cells, chosen,
                List.of(strings(root.get("top3"))));
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
                root.hasNonNull("prior"), doubles(control.get("tol")), doubles(control.get("itmax")),
                List.of(strings(root.get("modelsSkipped"))), cells);
    }

    private static Cell cell(JsonNode c) {
        return new Cell(c.get("model").asText(), c.get("G").asInt(), c.get("failed").asBoolean(), text(c.get("message")),
                integer(c.get("returnCode")), number(c.get("loglik")), c.get("df").asInt(), number(c.get("bic")),
                integer(c.get("iterations")), integer(c.get("innerIterations")), number(c.get("loglikOfParameters")),
                parameters(c.get("parameters")), prior(c.get("defaultPrior")), doubles(c.path("control").get("tol")));
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
        if (array == null || array.isNull()) {
            return new String[0];
        }
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
