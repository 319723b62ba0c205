package io.mixspark.spark.ml.param;

import io.mixspark.gmm.CovarianceType;
import java.util.Locale;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * {@code covarianceType}: how the components' covariances are constrained, by mclust's name
 * ({@code EII} ... {@code VVV}, {@code E}, {@code V}) or a scikit-learn alias ({@code full},
 * {@code diag}, {@code spherical}, {@code tied}).
 */
public interface HasCovarianceType<T> extends MixSparkParams<T> {

    default Param<String> covarianceType() {
        String[] ids = CovarianceType.names().toArray(new String[0]);
        return declare("covarianceType", p -> new Param<>(p, "covarianceType",
                "covariance model: " + String.join(", ", ids), ParamValidators.inArray(ids)),
                CovarianceType.FULL.alias());
    }

    default String getCovarianceType() {
        return getOrDefault(covarianceType());
    }

    /** Sets the model, spelled in any case: stored as mclust writes it (VVV) or as the alias (full). */
    default T setCovarianceType(String value) {
        String t = value.trim();
        boolean mclustName = CovarianceType.names().contains(t.toUpperCase(Locale.ROOT));
        return setParam(covarianceType(), mclustName ? t.toUpperCase(Locale.ROOT) : t.toLowerCase(Locale.ROOT));
    }
}
