package io.mixspark.spark.ml;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A fitted Gaussian mixture as a Spark ML Model: adds prediction and probability columns. */
public final class GaussianMixtureModel extends Model<GaussianMixtureModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Mixture mixture;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private transient GaussianMixtureSummary summary;

    public GaussianMixtureModel(String uid, Mixture mixture) {
        this.uid = uid;
        this.mixture = mixture;
        featuresCol = SharedParams.featuresCol(this);
        predictionCol = SharedParams.predictionCol(this);
        probabilityCol = SharedParams.probabilityCol(this);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The fitted mixture. */
    public Mixture mixture() {
        return mixture;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public GaussianMixtureModel setFeaturesCol(String value) {
        return (GaussianMixtureModel) set(featuresCol, value);
    }

    public GaussianMixtureModel setPredictionCol(String value) {
        return (GaussianMixtureModel) set(predictionCol, value);
    }

    public GaussianMixtureModel setProbabilityCol(String value) {
        return (GaussianMixtureModel) set(probabilityCol, value);
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** The training summary; only a model fresh from {@code fit} has one. */
    public GaussianMixtureSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary: this model was not produced by fit in this session");
        }
        return summary;
    }

    void setSummary(GaussianMixtureSummary value) {
        this.summary = value;
    }

    /** Posterior probabilities of one row. */
    public Vector predictProbability(Vector features) {
        DataBlock row = DataBlock.of(features.toArray(), mixture.d());
        return Vectors.dense(Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, mixture, row));
    }

    /** The most probable component of one row. */
    public int predict(Vector features) {
        return Scoring.argmaxRows(predictProbability(features).toArray(), 1, mixture.k())[0];
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Mixture m = mixture;
        UserDefinedFunction probability = functions.udf((UDF1<Vector, Vector>) v -> Vectors.dense(
                Scoring.predictProba(JavaLikelihoodKernel.INSTANCE, m, DataBlock.of(v.toArray(), m.d()))),
                SQLDataTypes.VectorType());
        UserDefinedFunction argmax = functions.udf((UDF1<Vector, Integer>) p -> p.argmax(), DataTypes.IntegerType);
        String probabilityColumn = getOrDefault(probabilityCol);
        Column features = functions.col(getOrDefault(featuresCol));
        return dataset.withColumn(probabilityColumn, probability.apply(features))
                .withColumn(getOrDefault(predictionCol), argmax.apply(functions.col(probabilityColumn)));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return SharedParams.withOutputs(schema, getOrDefault(featuresCol), getOrDefault(predictionCol),
                getOrDefault(probabilityCol));
    }

    @Override
    public GaussianMixtureModel copy(ParamMap extra) {
        GaussianMixtureModel copy = copyValues(new GaussianMixtureModel(uid, mixture), extra);
        copy.summary = summary;
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new GaussianMixtureModelPersistence.Writer(this);
    }

    public static MLReader<GaussianMixtureModel> read() {
        return new GaussianMixtureModelPersistence.Reader();
    }

    public static GaussianMixtureModel load(String path) {
        return read().load(path);
    }
}
