package io.mixspark.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mixspark.em.EmOptions;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.Prior;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;

/** The Estimator's Params for mclust's hierarchical start and prior, and what they become. */
class MclustParamsTest {

    @Test
    void theDefaultsAreMclustsAndTheSettersReachTheEmOptions() {
        MixSparkGaussianMixture gmm = new MixSparkGaussianMixture().setK(3);
        assertEquals(Prior.NONE, gmm.emOptions().prior());
        assertEquals(2000, gmm.emOptions().hcSample());

        gmm.setInitMode("hc").setHcSample(500).setPrior("default");
        EmOptions options = gmm.copy(ParamMap.empty()).emOptions();
        assertEquals(InitMode.HC, options.initMode());
        assertEquals(500, options.hcSample());
        assertEquals(Prior.DEFAULT, options.prior());
    }

    @Test
    void badValuesAreRefused() {
        MixSparkGaussianMixture gmm = new MixSparkGaussianMixture();
        assertThrows(IllegalArgumentException.class, () -> gmm.setPrior("conjugate"));
        assertThrows(IllegalArgumentException.class, () -> gmm.setHcSample(1));
    }
}
