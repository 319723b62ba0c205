package io.mixspark.spark.ml;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.MissingValues;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Scoring;
import io.mixspark.spark.ml.param.DeclaredParams;
import io.mixspark.spark.ml.param.HasClusteringColumns;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
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

/**
 * A fitted Gaussian mixture as a Spark ML Model: adds prediction and probability columns. Every
 * MixSpark estimator (EM, SDP, federated) returns one. A row with missing values (NaN) is scored
 * on its observed values, and {@link #impute} fills them in.
 */
public class MixSparkGaussianMixtureModel extends Model<MixSparkGaussianMixtureModel> implements MLWritable,
        HasClusteringColumns<MixSparkGaussianMixtureModel> {

    private static final long serialVersionUID = 1L;

    private final DeclaredParams declared;
    private final Mixture mixture;
    private transient MixSparkGaussianMixtureSummary summary;

    public MixSparkGaussianMixtureModel(String uid, Mixture mixture) {
        this.declared = new DeclaredParams(uid);
        this.mixture = mixture;
        declareAll();
    }

    @Override
    public DeclaredParams declaredParams() {
        return declared;
    }

    /** The fitted mixture. */
    public Mixture mixture() {
        return mixture;
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** The training summary; only a model fresh from {@code fit} has one. */
    public MixSparkGaussianMixtureSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary: this model was not produced by fit in this session");
        }
        return summary;
    }

    void setSummary(MixSparkGaussianMixtureSummary value) {
        this.summary = value;
    }

    /**
     * One row with each missing value (NaN) replaced by its conditional mean given the row's
     * observed values, averaged over the components by their posterior probabilities; observed
     * values are returned as they are.
     */
    public Vector impute(Vector features) {
        DataBlock row = DataBlock.of(features.toArray(), mixture.d());
        return Vectors.dense(MissingValues.impute(JavaLikelihoodKernel.INSTANCE, row, mixture));
    }

    /** Posterior probabilities of one row (on its observed values, when some are NaN). */
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
        String probabilityColumn = getProbabilityCol();
        Column features = functions.col(getFeaturesCol());
        return dataset.withColumn(probabilityColumn, probability.apply(features))
                .withColumn(getPredictionCol(), argmax.apply(functions.col(probabilityColumn)));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withClusteringOutputs(schema);
    }

    @Override
    public MixSparkGaussianMixtureModel copy(ParamMap extra) {
        MixSparkGaussianMixtureModel copy = copyValues(new MixSparkGaussianMixtureModel(uid(), mixture), extra);
        copy.summary = summary;
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelPersistence.Writer(this);
    }

    public static MLReader<MixSparkGaussianMixtureModel> read() {
        return new ModelPersistence.Reader();
    }

    public static MixSparkGaussianMixtureModel load(String path) {
        return read().load(path);
    }
}
