package io.mixspark.spark.ml;

import io.mixspark.gmm.Mixture;
import io.mixspark.spark.ml.param.DeclaredParams;
import io.mixspark.spark.ml.param.HasBlockSize;
import io.mixspark.spark.ml.param.HasClusteringColumns;
import io.mixspark.spark.ml.param.HasK;
import io.mixspark.spark.ml.param.HasKernel;
import io.mixspark.spark.ml.param.HasSeed;
import io.mixspark.spark.ml.param.HasTol;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What every MixSpark estimator of type {@code E} shares: its uid and Params holder, the Params
 * of every clustering fit (k, tol, seed, kernel, blockSize, the columns), saving through Spark's
 * default params writer, and the model it returns. A subclass declares only its own Params.
 */
public abstract class MixSparkEstimator<E extends MixSparkEstimator<E>> extends Estimator<MixSparkGaussianMixtureModel>
        implements DefaultParamsWritable, HasK<E>, HasTol<E>, HasSeed<E>, HasKernel<E>, HasBlockSize<E>,
        HasClusteringColumns<E> {

    private static final long serialVersionUID = 1L;

    private final DeclaredParams declared;

    /** Makes every Param of the concrete class, with its default, before the subclass goes on. */
    protected MixSparkEstimator(String uid) {
        this.declared = new DeclaredParams(uid);
        declareAll();
    }

    @Override
    public DeclaredParams declaredParams() {
        return declared;
    }

    /** The fitted model: this estimator's column params, the summary, and this as its parent. */
    protected MixSparkGaussianMixtureModel model(Mixture mixture, MixSparkGaussianMixtureSummary summary) {
        MixSparkGaussianMixtureModel model = new MixSparkGaussianMixtureModel(uid(), mixture);
        copyValues(model, ParamMap.empty());
        model.setSummary(summary);
        return model.setParent(this);
    }

    /** The length of the feature vectors, from the first row; the input must have one. */
    protected int featureDimension(Dataset<?> dataset) {
        List<Row> first = dataset.select(getFeaturesCol()).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the input has no rows");
        }
        return ((Vector) first.get(0).get(0)).size();
    }
}
