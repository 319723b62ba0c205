package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.Scoring;
import java.util.Random;

/** The starts of {@link IlaSdp#fit} other than the k-means SDP labels. */
final class IlaStarts {

    private IlaStarts() {
    }

    /**
     * The MAP partition of a full-covariance EM fit with OAS shrinkage in its M-step (the rule the
     * rounds use, {@link ShrinkageRule#OAS}) and {@link IlaSdpOptions#emRestarts()} restarts from
     * small-EM starts ({@link InitMode#SMALL_EM}: a k-means start cuts elongated clusters across,
     * which is what iLA-SDP is for), or null when there are none, EM fails numerically, or a
     * cluster ends empty.
     */
    static int[] em(DataBlock points, int k, IlaSdpOptions options) {
        if (options.emRestarts() == 0) {
            return null;
        }
        EmOptions em = EmOptions.builder(k, CovarianceType.FULL).nInit(options.emRestarts())
                .initMode(InitMode.SMALL_EM).seed(options.solver().roundingSeed()).kernel("java")
                .shrinkage(CovarianceShrinkage.OAS).build();
        Mixture model;
        try {
            model = EmFitter.fit(InMemoryBlockData.of(points.values(), points.d()), em, FitListener.NONE).model();
        } catch (NumericalFailureException e) {
            return null;
        }
        int[] labels = Scoring.predict(JavaLikelihoodKernel.INSTANCE, model, points);
        return IlaSdp.hasEmptyCluster(labels, k) ? null : labels;
    }

    /** Uniformly random labels, or null when a cluster ends empty. */
    static int[] random(int n, int k, long seed) {
        Random random = new Random(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(k);
        }
        return IlaSdp.hasEmptyCluster(labels, k) ? null : labels;
    }
}
