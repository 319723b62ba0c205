package io.mixspark.spark.ml.param;

import io.mixspark.gmm.CovarianceType;
import io.mixspark.util.Ids;
import java.util.Locale;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/** {@code covarianceType}: how the components' covariances are constrained. */
public interface HasCovarianceType<T> extends MixSparkParams<T> {

    default Param<String> covarianceType() {
        String[] ids = Ids.all(CovarianceType.values(), CovarianceType::id);
        return declare("covarianceType", p -> new Param<>(p, "covarianceType",
                "covariance type: " + String.join(", ", ids), ParamValidators.inArray(ids)),
                CovarianceType.FULL.id());
    }

    default String getCovarianceType() {
        return getOrDefault(covarianceType());
    }

    default T setCovarianceType(String value) {
        return setParam(covarianceType(), value.toLowerCase(Locale.ROOT));
    }
}
