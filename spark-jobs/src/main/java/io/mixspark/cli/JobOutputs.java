package io.mixspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.data.Missingness;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitWarnings;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.io.InputTable;
import io.mixspark.io.ModelJson;
import io.mixspark.io.OutputDirectory;
import io.mixspark.spark.ml.MixSparkGaussianMixtureModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;

/** The files a job writes: model.json, the Spark ML model, predictions and metrics.json. */
final class JobOutputs {

    static final ObjectMapper JSON = new ObjectMapper();

    private JobOutputs() {
    }

    /** {@code model.json} and {@code model/} (Spark ML persistence). */
    static void writeModel(OutputDirectory out, MixSparkGaussianMixtureModel model, List<String> features,
                           EmResult fit) {
        writeModel(out, model, features, fit, Map.of());
    }

    /** As above, with the component of each known class name ({@code knownLabels} in model.json). */
    static void writeModel(OutputDirectory out, MixSparkGaussianMixtureModel model, List<String> features,
                           EmResult fit, Map<String, Integer> knownClasses) {
        ObjectNode json = ModelJson.of(model.mixture(), features, fit);
        if (!knownClasses.isEmpty()) {
            ObjectNode classes = json.putObject("knownLabels");
            knownClasses.forEach(classes::put);
        }
        out.writeText("model.json", ModelJson.render(json));
        try {
            model.write().save(out.path("model"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the Spark ML model", e);
        }
    }

    /**
     * {@code predictions/}: Parquet with the carried columns, {@code cluster} and
     * {@code probability} (an array of doubles, one per component).
     */
    static void writePredictions(OutputDirectory out, MixSparkGaussianMixtureModel model, Dataset<Row> table,
                                 List<String> carried) {
        writePredictions(out, model, table, carried, List.of());
    }

    /**
     * As {@link #writePredictions(OutputDirectory, MixSparkGaussianMixtureModel, Dataset, List)},
     * then for each of {@code imputed} (the features, in order) a column {@code <feature>_imputed}:
     * the observed value, or the conditional mean where it is missing.
     */
    static void writePredictions(OutputDirectory out, MixSparkGaussianMixtureModel model, Dataset<Row> table,
                                 List<String> carried, List<String> imputed) {
        predictions(model, table, carried, imputed).write().parquet(out.path("predictions"));
    }

    /**
     * The rows of {@code table} (features assembled in {@link InputOptions#VECTOR_COLUMN}) scored:
     * the carried columns, {@code cluster}, {@code probability} and the {@code imputed} columns.
     */
    static Dataset<Row> predictions(MixSparkGaussianMixtureModel model, Dataset<Row> table, List<String> carried,
                                    List<String> imputed) {
        Dataset<Row> scored = model.copy(org.apache.spark.ml.param.ParamMap.empty())
                .setFeaturesCol(InputOptions.VECTOR_COLUMN)
                .setPredictionCol("__mixspark_cluster").setProbabilityCol("__mixspark_probability")
                .transform(table);
        List<Column> columns = new ArrayList<>();
        carried.forEach(c -> columns.add(functions.col(c)));
        columns.add(functions.col("__mixspark_cluster").as("cluster"));
        columns.add(org.apache.spark.ml.functions.vector_to_array(functions.col("__mixspark_probability"), "float64")
                .as("probability"));
        if (!imputed.isEmpty()) {
            scored = scored.withColumn("__mixspark_imputed", org.apache.spark.ml.functions.vector_to_array(
                    functions.udf((UDF1<Vector, Vector>) model::impute, SQLDataTypes.VectorType())
                            .apply(functions.col(InputOptions.VECTOR_COLUMN)), "float64"));
            for (int a = 0; a < imputed.size(); a++) {
                columns.add(functions.col("__mixspark_imputed").getItem(a).as(imputed.get(a) + "_imputed"));
            }
        }
        return scored.select(columns.toArray(Column[]::new));
    }

    /**
     * {@code kernelsUsed}: tasks per likelihood kernel as the executors ran them, beside
     * {@code kernel}, the driver's choice (an executor without the native library runs Java).
     */
    static void putKernelsUsed(ObjectNode metrics, Map<String, Long> kernelsUsed) {
        ObjectNode used = metrics.putObject("kernelsUsed");
        kernelsUsed.forEach(used::put);
    }

    /**
     * {@code metrics.json} of a fit: history, time, rows, the kernel that ran, and {@code warnings}
     * ({@code code} and {@code message} of each of {@link FitWarnings}), which are printed here too.
     */
    static ObjectNode fitMetrics(String command, EmResult fit, double totalSeconds, int partitions,
                                 InputTable.Features input) {
        ObjectNode m = JSON.createObjectNode();
        ArrayNode warnings = JSON.createArrayNode();
        for (FitWarnings.Warning w : FitWarnings.of(fit)) {
            System.out.println("warning: " + w.message());
            warnings.addObject().put("code", w.code()).put("message", w.message());
        }
        m.put("command", command);
        m.put("kernel", fit.kernel());
        m.put("rows", fit.rows());
        putInput(m, input);
        m.put("totalWeight", fit.totalWeight());
        m.put("partitions", partitions);
        m.put("totalSeconds", totalSeconds);
        m.put("iterations", fit.iterations());
        m.put("converged", fit.converged());
        m.put("meanLogLikelihood", fit.meanLogLikelihood());
        m.put("bestRestart", fit.bestRestart());
        ArrayNode restarts = m.putArray("restartMeanLogLikelihoods");
        for (double v : fit.restartLogLikelihoods()) {
            restarts.add(v);
        }
        ArrayNode history = m.putArray("history");
        for (IterationRecord r : fit.history()) {
            ObjectNode h = history.addObject();
            h.put("iteration", r.iteration());
            h.put("meanLogLikelihood", r.meanLogLikelihood());
            h.put("seconds", r.seconds());
        }
        if (fit.shrunk()) {
            // The intensity of each component of the final model (one pooled value repeated for EEE).
            ObjectNode shrinkage = m.putObject("covarianceShrinkage");
            shrinkage.put("method", CovarianceShrinkage.OAS.id());
            shrinkage.put("target", "spherical");
            ArrayNode rho = shrinkage.putArray("intensities");
            for (double v : fit.shrinkageIntensities()) {
                rho.add(v);
            }
        }
        m.set("warnings", warnings);
        return m;
    }

    /**
     * The fields of {@code metrics.json} that say what the input lost: {@code skippedRows} (missing,
     * NaN or infinite features), {@code malformedRows} (records that do not parse) and
     * {@code droppedColumns} (columns left out of the default features, with their reason).
     */
    static void putInput(ObjectNode metrics, InputTable.Features input) {
        metrics.put("skippedRows", input.skippedRows());
        metrics.put("malformedRows", input.malformedRows());
        ArrayNode dropped = metrics.putArray("droppedColumns");
        for (InputTable.DroppedColumn c : input.droppedColumns()) {
            dropped.addObject().put("name", c.name()).put("reason", c.reason());
        }
    }

    /**
     * The fields of {@code metrics.json} that say where values were missing: {@code rowsWithMissing},
     * {@code rowsAllMissing} (left out of the fit), {@code patterns} and {@code missingShare} per feature.
     */
    static void putMissingness(ObjectNode metrics, Missingness missing, List<String> features) {
        metrics.put("rowsWithMissing", missing.rowsWithMissing());
        metrics.put("rowsAllMissing", missing.rowsAllMissing());
        metrics.put("patterns", missing.patterns());
        ObjectNode share = metrics.putObject("missingShare");
        double[] shares = missing.missingShare();
        for (int a = 0; a < features.size(); a++) {
            share.put(features.get(a), shares[a]);
        }
    }

    static void writeJson(OutputDirectory out, String name, ObjectNode node) {
        try {
            out.writeText(name, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small text file on any Hadoop file system. */
    static String readText(String path, Configuration conf) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The model.json file that {@link #readModel} reads for {@code path}: the path, or the directory's model.json. */
    static String modelFile(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(conf).getFileStatus(p).isDirectory() ? new Path(p, "model.json").toString() : path;
    }

    /** A model.json path, or a job output directory holding one. */
    static ModelJson.Named readModel(String path, Configuration conf) {
        String file = path;
        String warning = null;
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            if (fs.getFileStatus(p).isDirectory()) {
                file = new Path(p, "model.json").toString();
                warning = unmarkedWarning(path, conf);
            } else if (p.getParent() != null) {
                requireFinishedParent(p.getParent(), conf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the model at " + path + ": " + e.getMessage(), e);
        }
        ModelJson.Named model = ModelJson.parse(readText(file, conf), file);
        if (warning != null) {
            System.out.println("warning: " + warning);
        }
        return model;
    }

    /**
     * For an output directory a command reads: null if it is marked complete, else a warning (it
     * was written before outputs were marked, or by other means).
     *
     * @throws OutputDirectory.IncompleteOutputException if its run did not finish marking it
     */
    static String unmarkedWarning(String dir, Configuration conf) throws IOException {
        if (OutputDirectory.isMarkedComplete(new Path(dir), conf)) {
            return null;
        }
        return dir + " holds no " + OutputDirectory.SUCCESS + " marker: read as complete, as an output of a build"
                + " before outputs were marked; if a run writing it was killed, rerun that command with --overwrite";
    }

    /** A model.json inside an output its run did not finish is refused; elsewhere, a plain file is read as it is. */
    private static void requireFinishedParent(Path parent, Configuration conf) throws IOException {
        try {
            OutputDirectory.isMarkedComplete(parent, conf);
        } catch (OutputDirectory.IncompleteOutputException e) {
            throw e;
        } catch (IOException e) {
            // A directory that cannot be listed holds no run's files that could be seen: read the file.
        }
    }
}
