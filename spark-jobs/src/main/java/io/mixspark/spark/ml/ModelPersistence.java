package io.mixspark.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Saves and loads {@link MixSparkGaussianMixtureModel} as data, never as Java serialisation:
 * {@code metadata/} holds Spark ML's JSON metadata (class, uid, params; so pipelines can load
 * the stage) and {@code data/} one Parquet row with the mixture's parameters.
 */
final class ModelPersistence {

    /** Version of the data layout; a reader rejects versions it does not know. */
    static final int FORMAT_VERSION = 1;

    /** Class names a saved model may carry: this one, and the name it had before (read the same way). */
    private static final Set<String> READABLE_CLASSES = Set.of(MixSparkGaussianMixtureModel.class.getName(),
            "io.mixspark.spark.ml.GaussianMixtureModel");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructType DATA_SCHEMA = new StructType()
            .add("formatVersion", DataTypes.IntegerType, false)
            .add("covarianceType", DataTypes.StringType, false)
            .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("means", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false)), false)
            .add("covariances", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false)),
                    false);

    private ModelPersistence() {
    }

    static final class Writer extends MLWriter {
        private final MixSparkGaussianMixtureModel model;

        Writer(MixSparkGaussianMixtureModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            ObjectNode metadata = JSON.createObjectNode();
            metadata.put("class", MixSparkGaussianMixtureModel.class.getName());
            metadata.put("timestamp", System.currentTimeMillis());
            metadata.put("sparkVersion", spark.version());
            metadata.put("uid", model.uid());
            ObjectNode params = metadata.putObject("paramMap");
            for (Param<String> p : List.of(model.featuresCol(), model.predictionCol(), model.probabilityCol())) {
                params.put(p.name(), model.getOrDefault(p));
            }
            metadata.putObject("defaultParamMap");
            metadata.put("formatVersion", FORMAT_VERSION);
            spark.createDataset(List.of(metadata.toString()), Encoders.STRING()).coalesce(1)
                    .write().text(path + "/metadata");

            Mixture m = model.mixture();
            List<List<Double>> means = new ArrayList<>();
            List<List<Double>> covariances = new ArrayList<>();
            for (int c = 0; c < m.k(); c++) {
                means.add(boxed(m.mean(c)));
                covariances.add(boxed(m.covariance(c)));
            }
            Row row = RowFactory.create(FORMAT_VERSION, m.covarianceType().id(), boxed(m.weights()), means,
                    covariances);
            spark.createDataFrame(List.of(row), DATA_SCHEMA).coalesce(1).write().parquet(path + "/data");
        }
    }

    static final class Reader extends MLReader<MixSparkGaussianMixtureModel> {
        @Override
        public MixSparkGaussianMixtureModel load(String path) {
            SparkSession spark = sparkSession();
            JsonNode metadata;
            try {
                metadata = JSON.readTree(spark.read().text(path + "/metadata").first().getString(0));
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt model metadata in " + path + "/metadata", e);
            }
            String className = metadata.path("class").asText();
            if (!READABLE_CLASSES.contains(className)) {
                throw new IllegalArgumentException(path + " holds a " + className + ", not a "
                        + MixSparkGaussianMixtureModel.class.getName());
            }
            Row data = spark.read().parquet(path + "/data").first();
            int version = data.getInt(data.fieldIndex("formatVersion"));
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException(path + " has model format version " + version
                        + "; this MixSpark reads version " + FORMAT_VERSION);
            }
            CovarianceType type = CovarianceType.parse(data.getString(data.fieldIndex("covarianceType")));
            double[] weights = unboxed(data.getList(data.fieldIndex("weights")));
            List<Object> meanRows = data.getList(data.fieldIndex("means"));
            List<Object> covarianceRows = data.getList(data.fieldIndex("covariances"));
            double[][] means = new double[meanRows.size()][];
            double[][] covariances = new double[covarianceRows.size()][];
            for (int c = 0; c < means.length; c++) {
                means[c] = unboxed(meanRows.get(c));
                covariances[c] = unboxed(covarianceRows.get(c));
            }
            MixSparkGaussianMixtureModel model = new MixSparkGaussianMixtureModel(metadata.path("uid").asText(),
                    new Mixture(type, weights, means, covariances));
            JsonNode params = metadata.path("paramMap");
            model.setFeaturesCol(params.path("featuresCol").asText("features"));
            model.setPredictionCol(params.path("predictionCol").asText("prediction"));
            model.setProbabilityCol(params.path("probabilityCol").asText("probability"));
            return model;
        }
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    /** A Parquet array of doubles as read back: a Java list at the top level, a Scala Seq nested. */
    private static double[] unboxed(Object array) {
        List<?> values = array instanceof List<?> list ? list
                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) array);
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).doubleValue();
        }
        return out;
    }
}
