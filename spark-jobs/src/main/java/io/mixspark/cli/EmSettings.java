package io.mixspark.cli;

import io.mixspark.data.BlockStorage;
import io.mixspark.em.EmOptions;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Prior;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * EM settings of {@code fit} and {@code select}. The tolerance, seed, reg-covar, kernel and
 * block size are the mixins {@code federated} takes too.
 */
public final class EmSettings {

    @Option(names = "--max-iter", paramLabel = "N", description = "EM iterations at most (default: ${DEFAULT-VALUE}).")
    int maxIter = EmOptions.DEFAULT_MAX_ITER;

    @Mixin
    EmToleranceAndSeed toleranceAndSeed;

    @Option(names = "--init", paramLabel = "MODE",
            description = "auto, kmeans++, kmeans|| (or kmeans-parallel), random, sdp (the k-means SDP on a"
                    + " sample), hc (mclust's model-based hierarchical clustering of a sample), or small-em (the"
                    + " best of 20 short EM runs of the fit's own model on a sample, from random rows; for"
                    + " clusters of different shapes) (default: ${DEFAULT-VALUE}).")
    String init = InitMode.AUTO.id();

    @Option(names = "--hc-sample", paramLabel = "N",
            description = "Rows sampled for --init hc, at most (default: ${DEFAULT-VALUE}, mclust's subset).")
    int hcSample = EmOptions.DEFAULT_HC_SAMPLE;

    @Option(names = "--prior", paramLabel = "PRIOR",
            description = "none (maximum likelihood), or default: mclust's conjugate prior (priorControl()), for"
                    + " MAP estimates that stay well-conditioned on small components (default: ${DEFAULT-VALUE}).")
    String prior = Prior.NONE.id();

    @Option(names = "--n-init", paramLabel = "N", description = "Restarts; the best wins (default: ${DEFAULT-VALUE}).")
    int nInit = 1;

    @Mixin
    EmStepOptions step;

    @Mixin
    StorageOption storage;

    @Mixin
    PrecisionOption precision;

    /** The EM options for k components of a type; throws IllegalArgumentException on bad values. */
    EmOptions options(int k, CovarianceType type) {
        step.validate();
        blockStorage();
        InitMode mode = InitMode.parse(init);
        if (mode == InitMode.MODEL) {
            throw new IllegalArgumentException("--init model is spelt --init-model PATH");
        }
        if (hcSample < 2) {
            throw new IllegalArgumentException("--hc-sample must be >= 2, got " + hcSample);
        }
        if (mode == InitMode.HC && hcSample < k) {
            throw new IllegalArgumentException("--hc-sample " + hcSample + " is smaller than --k " + k
                    + "; the hierarchical start needs at least k sampled rows");
        }
        Prior parsedPrior = Prior.parse(prior);
        if (step.auto()) {
            if (parsedPrior != Prior.NONE) {
                throw new IllegalArgumentException("--reg-covar auto and --prior " + parsedPrior.id() + " both"
                        + " regularise the covariances; choose one");
            }
            requireShrinkable(type);
        }
        return EmOptions.builder(k, type).maxIter(maxIter).tol(toleranceAndSeed.tol).seed(toleranceAndSeed.seed)
                .initMode(mode).nInit(nInit).regCovar(step.regCovar()).shrinkage(step.shrinkage()).kernel(step.kernel())
                .hcSample(hcSample).prior(parsedPrior).precision(precision.parsed()).build();
    }

    /** Throws IllegalArgumentException when {@code --reg-covar auto} does not apply to the model. */
    void requireShrinkable(CovarianceType type) {
        String refusal = step.shrinkage().refusal(type);
        if (refusal != null) {
            throw new IllegalArgumentException("--reg-covar auto: " + refusal + "; give --reg-covar a number");
        }
    }

    int blockSize() {
        return step.blockSize();
    }

    /** The parsed {@code --storage}; throws IllegalArgumentException on an unknown name. */
    BlockStorage blockStorage() {
        return storage.blockStorage();
    }
}
