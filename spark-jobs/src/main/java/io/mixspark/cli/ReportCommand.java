package io.mixspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.DataBlock;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.io.InputTable;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.report.HtmlReport;
import io.mixspark.report.Projection;
import io.mixspark.report.ReportCharts;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mixspark report}: one self-contained HTML page about a fit or select run, with charts
 * of the log-likelihood per iteration, the criterion against k, a 2-D projection with covariance
 * ellipses, and the cluster sizes.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a self-contained HTML report (charts as embedded PNG) of a fit or select output.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "The output directory of fit or select (model.json, metrics.json, predictions/ ...).")
    String run;

    @ArgGroup(exclusive = false, multiplicity = "0..1",
            heading = "Data for the projection (default: the model's own distribution):%n")
    InputOptions data;

    @Option(names = "--sample", paramLabel = "ROWS",
            description = "Rows of --input to plot, sampled at random (default: ${DEFAULT-VALUE}).")
    int sample = 5000;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sample (default: ${DEFAULT-VALUE}).")
    long seed;

    // One HTML file, not a job's output directory: so not OutputOptions.
    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing report.")
    boolean overwrite;

    @Mixin
    SparkOptions spark;

    @Mixin
    DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
        Validation.usage(() -> {
            if (sample < 1) {
                throw new IllegalArgumentException("--sample must be >= 1, got " + sample);
            }
            if (data != null) {
                data.validate();
            }
            return null;
        });
        if (dryRun.stopsHere("report")) {
            return ExitCodes.OK;
        }
        // Charts are drawn off-screen; this must hold before AWT starts.
        System.setProperty("java.awt.headless", "true");
        SparkSession session = spark.session("mixspark report");
        Configuration conf = session.sparkContext().hadoopConfiguration();
        Path dir = new Path(run);
        FileSystem fs = dir.getFileSystem(conf);
        Path out = new Path(output);
        try {
            // The files the report reads: writing over one of them would destroy it.
            OutputDirectory.requireApart(output, conf, new Path(dir, "model.json").toString(),
                    new Path(dir, "metrics.json").toString(), new Path(dir, "selection.json").toString(),
                    data == null ? null : data.input);
        } catch (IllegalArgumentException e) {
            throw new Validation.UsageException(e.getMessage());
        }
        FileSystem outFs = out.getFileSystem(conf);
        if (outFs instanceof LocalFileSystem local) {
            outFs = local.getRaw(); // one plain file, no .crc beside it
        }
        if (outFs.exists(out) && !overwrite) {
            throw new OutputDirectory.OutputExistsException("output " + output
                    + " already exists; pass --overwrite to replace it");
        }
        Path modelFile = new Path(dir, "model.json");
        if (!fs.exists(modelFile)) {
            throw new FileNotFoundException(run + " holds no model.json; --run takes the output directory of fit"
                    + " or select");
        }
        String unmarked = JobOutputs.unmarkedWarning(run, conf);
        if (unmarked != null) {
            System.out.println("warning: " + unmarked);
        }
        String modelText = JobOutputs.readText(modelFile.toString(), conf);
        ModelJson.Named model = ModelJson.parse(modelText, modelFile.toString());
        JsonNode modelJson = JobOutputs.JSON.readTree(modelText);
        JsonNode metrics = readJson(fs, new Path(dir, "metrics.json"), conf);
        JsonNode selection = readJson(fs, new Path(dir, "selection.json"), conf);

        HtmlReport report = new HtmlReport("MixSpark report: " + run);
        report.facts("Model", facts(model, modelJson, metrics, selection));
        logLikelihood(report, metrics);
        criterion(report, selection);
        projection(report, session, model);
        clusterSizes(report, session, fs, new Path(dir, "predictions"), model.mixture());

        try (OutputStream stream = outFs.create(out, true)) {
            stream.write(report.render().getBytes(StandardCharsets.UTF_8));
        }
        System.out.printf(Locale.ROOT, "wrote %s (%d charts)%n", output, report.charts());
        return ExitCodes.OK;
    }

    private static JsonNode readJson(FileSystem fs, Path file, Configuration conf) throws IOException {
        return fs.exists(file) ? JobOutputs.JSON.readTree(JobOutputs.readText(file.toString(), conf)) : null;
    }

    private Map<String, String> facts(ModelJson.Named model, JsonNode json, JsonNode metrics, JsonNode selection) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("run", run);
        if (metrics != null && metrics.has("command")) {
            f.put("command", metrics.get("command").asText());
        }
        Mixture m = model.mixture();
        f.put("components (k)", Integer.toString(m.k()));
        f.put("covariance type", m.covarianceType().id());
        f.put("features (d = " + m.d() + ")", String.join(", ", model.features()));
        for (String field : List.of("rows", "iterations", "converged", "meanLogLikelihood", "logLikelihood", "bic",
                "aic", "icl")) {
            if (json.has(field)) {
                f.put(field, json.get(field).asText());
            }
        }
        if (metrics != null) {
            for (String field : List.of("kernel", "partitions", "totalSeconds")) {
                if (metrics.has(field)) {
                    f.put(field, metrics.get(field).asText());
                }
            }
        }
        if (selection != null) {
            f.put("chosen by " + selection.path("criterion").asText("?"), "k = "
                    + selection.path("chosen").path("k").asText() + ", "
                    + selection.path("chosen").path("covarianceType").asText());
        }
        StringBuilder weights = new StringBuilder();
        for (int c = 0; c < m.k(); c++) {
            weights.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", m.weight(c)));
        }
        f.put("weights", weights.toString());
        return f;
    }

    private static void logLikelihood(HtmlReport report, JsonNode metrics) {
        String heading = "Log-likelihood per iteration";
        JsonNode history = metrics == null ? null : metrics.get("history");
        if (history == null || history.isEmpty()) {
            report.absent(heading, metrics == null ? "metrics.json is absent from the run directory."
                    : "metrics.json holds no iteration history.");
            return;
        }
        int[] iterations = new int[history.size()];
        double[] values = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            iterations[i] = history.get(i).get("iteration").asInt();
            values[i] = history.get(i).get("meanLogLikelihood").asDouble();
        }
        report.chart(heading, "Mean log-likelihood per row of the kept fit at each EM iteration (from metrics.json;"
                + " iteration j evaluates the mixture after j - 1 updates).",
                ReportCharts.png(ReportCharts.logLikelihood(iterations, values)));
    }

    private static void criterion(HtmlReport report, JsonNode selection) {
        String heading = "BIC against k";
        if (selection == null || !selection.has("candidates") || selection.get("candidates").isEmpty()) {
            report.absent(heading, "selection.json is absent: this is not the output of mixspark select, so there"
                    + " is no BIC curve over k.");
            return;
        }
        String chosen = "chosen by " + selection.path("criterion").asText("bic") + ": k = "
                + selection.path("chosen").path("k").asText() + ", "
                + selection.path("chosen").path("covarianceType").asText();
        report.chart(heading, "BIC of every candidate of the grid, one line per covariance model, as mclust's"
                + " plot(BIC) draws it (from selection.json; mclust's sign, larger is better, which is -bic on"
                + " scikit-learn's scale; a gap is a cell that could not be fitted). " + chosen + ".",
                ReportCharts.png(ReportCharts.mclustBic(bicByModel(selection), chosen)));
    }

    /**
     * Each model's BIC in mclust's sign over k from selection.json, models in the order they first
     * appear, k ascending; a failed cell is NaN. Outputs written before {@code bicMclust} existed
     * give -bic.
     */
    static Map<String, double[][]> bicByModel(JsonNode selection) {
        Map<String, Map<Integer, Double>> byModel = new LinkedHashMap<>();
        for (JsonNode c : selection.get("candidates")) {
            double bic = c.has("bicMclust") ? c.get("bicMclust").asDouble() : -c.get("bic").asDouble();
            byModel.computeIfAbsent(c.get("covarianceType").asText(), t -> new TreeMap<>())
                    .put(c.get("k").asInt(), bic);
        }
        for (JsonNode f : selection.path("failed")) {
            byModel.computeIfAbsent(f.get("covarianceType").asText(), t -> new TreeMap<>())
                    .put(f.get("k").asInt(), Double.NaN);
        }
        Map<String, double[][]> out = new LinkedHashMap<>();
        byModel.forEach((model, points) -> {
            double[][] xy = new double[2][points.size()];
            int i = 0;
            for (Map.Entry<Integer, Double> p : points.entrySet()) {
                xy[0][i] = p.getKey();
                xy[1][i++] = p.getValue();
            }
            out.put(model, xy);
        });
        return out;
    }

    private void projection(HtmlReport report, SparkSession session, ModelJson.Named model) {
        Mixture m = model.mixture();
        double[][] covariances = new double[m.k()][];
        for (int c = 0; c < m.k(); c++) {
            double[][] full = m.covarianceMatrix(c);
            covariances[c] = new double[m.d() * m.d()];
            for (int i = 0; i < m.d(); i++) {
                System.arraycopy(full[i], 0, covariances[c], i * m.d(), m.d());
            }
        }
        double[] rows = data == null ? new double[0] : sampleRows(session, model);
        int n = rows.length / m.d();
        Projection p = n >= 2 ? Projection.ofPoints(rows, m.d())
                : Projection.ofMixture(m.weights(), m.means(), covariances);
        int[] labels = n == 0 ? new int[0] : Scoring.predict(Kernels.named("java"), m, DataBlock.of(rows, m.d()));
        double[][] points = new double[2][n];
        for (int i = 0; i < n; i++) {
            double[] xy = p.project(Arrays.copyOfRange(rows, i * m.d(), (i + 1) * m.d()));
            points[0][i] = xy[0];
            points[1][i] = xy[1];
        }
        double[][] means = new double[m.k()][];
        double[][][] ellipses = new double[m.k()][][];
        for (int c = 0; c < m.k(); c++) {
            means[c] = p.project(m.mean(c));
            ellipses[c] = Projection.ellipse(means[c], p.projectCovariance(covariances[c]), Projection.RADIUS_95, 120);
        }
        String source = n > 0
                ? String.format(Locale.ROOT, "%d rows of %s on its first two principal components", n, data.input)
                : "no --input: principal components of the mixture's own covariance (means and components)";
        report.chart("2-D projection", "Each component's mean (a cross) and 95% ellipse, its exact marginal on the"
                + " plane" + (n > 0 ? "; rows coloured by their most probable component" : "") + ". Axes: "
                + source + String.format(Locale.ROOT, " (variances %.4g and %.4g).", p.variances()[0],
                p.variances()[1]), ReportCharts.png(ReportCharts.projection(source, points, labels, means, ellipses)));
    }

    /** Up to --sample finite rows of --input with the model's features, row-major. */
    private double[] sampleRows(SparkSession session, ModelJson.Named model) {
        if (data.features.isEmpty()) {
            data.features = model.features();
        }
        data.modelD = model.mixture().d();
        InputTable.Features features = data.load(session);
        if (features.d() != model.mixture().d()) {
            throw new IllegalArgumentException("the model has d = " + model.mixture().d() + " features "
                    + model.features() + ", the input gives " + features.d() + " " + features.names());
        }
        Dataset<Row> vectors = features.table().select(features.vectorColumn());
        long count = vectors.count();
        if (count > sample) {
            vectors = vectors.sample(false, Math.min(1.0, 1.2 * sample / count), seed);
        }
        List<Row> rows = vectors.limit(sample).collectAsList();
        int d = features.d();
        double[] out = new double[rows.size() * d];
        int kept = 0;
        for (Row r : rows) {
            double[] x = ((Vector) r.get(0)).toArray();
            boolean finite = true;
            for (double v : x) {
                finite &= Double.isFinite(v);
            }
            if (finite) {
                System.arraycopy(x, 0, out, kept * d, d);
                kept++;
            }
        }
        return Arrays.copyOf(out, kept * d);
    }

    private static void clusterSizes(HtmlReport report, SparkSession session, FileSystem fs, Path predictions,
                                     Mixture m) throws IOException {
        String heading = "Cluster sizes";
        if (!fs.exists(predictions)) {
            report.absent(heading, "predictions/ is absent from the run directory.");
            return;
        }
        long[] counts = new long[m.k()];
        long total = 0;
        for (Row r : session.read().parquet(predictions.toString()).groupBy("cluster").count().collectAsList()) {
            int c = r.getInt(0);
            if (c >= 0 && c < m.k()) {
                counts[c] = r.getLong(1);
                total += counts[c];
            }
        }
        double[] expected = new double[m.k()];
        for (int c = 0; c < m.k(); c++) {
            expected[c] = m.weight(c) * total;
        }
        report.chart(heading, String.format(Locale.ROOT, "Rows of predictions/ (%d in all) assigned to each"
                + " component, beside the component's weight times the row count.", total),
                ReportCharts.png(ReportCharts.clusterSizes(counts, expected)));
    }
}
