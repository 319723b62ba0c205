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
import java.util.Arrays;
import java.util.Random;

/** The starts of {@link IlaSdp#fit} other than the k-means SDP labels, and the polish every start gets. */
final class IlaStarts {

    /**
     * The ridge of the {@link #emRidge} start as a share of the rows' mean variance per column. A
     * tenth was chosen on seeds 1-10 of the shape families of docs/SDP.md among 0.01, 0.02, 0.05 and
     * 0.1; scaling it by the data keeps the start the same when the columns are rescaled.
     */
    static final double RIDGE_SHARE = 0.1;
    /** Polish steps at most; a polish stops earlier at the first step that does not raise the objective. */
    static final int POLISH_STEPS = 100;

    private IlaStarts() {
    }

    /** Labels with their clusters' Gaussians and objective ({@link ClusterGaussians#logLikelihood}). */
    record Scored(int[] labels, ClusterGaussians gaussians, double objective) {
    }

    /**
     * The MAP partition of a full-covariance EM fit with OAS shrinkage in its M-step (the rule the
     * rounds use, {@link ShrinkageRule#OAS}) and {@link IlaSdpOptions#emRestarts()} restarts from
     * small-EM starts ({@link InitMode#SMALL_EM}: a k-means start cuts elongated clusters across,
     * which is what iLA-SDP is for), or null when there are none, EM fails numerically, or a
     * cluster ends empty.
     */
    static int[] em(DataBlock points, int k, IlaSdpOptions options) {
        return emPartition(points, k, options, builder -> builder.shrinkage(CovarianceShrinkage.OAS));
    }

    /**
     * As {@link #em}, with a ridge of {@value #RIDGE_SHARE} times the mean column variance instead of
     * OAS. OAS shrinks a cluster toward a sphere by its own size and spread, so a cluster that has
     * swallowed part of an elongated neighbour keeps it; a fixed ridge of the data's scale treats
     * every cluster alike and, on some draws, lands in the better partition (docs/SDP.md).
     */
    static int[] emRidge(DataBlock points, int k, IlaSdpOptions options) {
        double ridge = Math.max(RIDGE_SHARE * meanColumnVariance(points), options.regCovar());
        return emPartition(points, k, options, builder -> builder.regCovar(ridge));
    }

    private static int[] emPartition(DataBlock points, int k, IlaSdpOptions options,
                                     java.util.function.UnaryOperator<EmOptions.Builder> regularisation) {
        if (options.emRestarts() == 0) {
            return null;
        }
        EmOptions em = regularisation.apply(EmOptions.builder(k, CovarianceType.FULL).nInit(options.emRestarts())
                .initMode(InitMode.SMALL_EM).seed(options.solver().roundingSeed()).kernel("java")).build();
        Mixture model;
        try {
            model = EmFitter.fit(InMemoryBlockData.of(points.values(), points.d()), em, FitListener.NONE).model();
        } catch (NumericalFailureException e) {
            return null;
        }
        int[] labels = Scoring.predict(JavaLikelihoodKernel.INSTANCE, model, points);
        return IlaSdp.hasEmptyCluster(labels, k) ? null : labels;
    }

    static double meanColumnVariance(DataBlock points) {
        int d = points.d();
        int n = points.rows();
        double[] x = points.values();
        double total = 0;
        for (int a = 0; a < d; a++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * d + a];
            }
            mean /= n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double centred = x[i * d + a] - mean;
                squares += centred * centred;
            }
            total += squares / n;
        }
        return total / d;
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

    /**
     * Classification EM on the rounds' own objective: move every row to the cluster whose Gaussian
     * (mean and shrunk covariance, {@link ClusterGaussians}) gives it the largest density, re-estimate,
     * and repeat while the objective rises. Random labels become a local optimum that can compete,
     * and the starts are compared where each would end, at the cost of a few O(n d^2 k) passes
     * instead of an SDP solve per start. The labels never get worse: the polish stops before a step
     * that would lower the objective (with shrinkage the re-estimate is not an exact maximiser), that
     * empties a cluster, or that changes nothing.
     */
    static Scored polish(DataBlock points, int[] start, int k, IlaSdpOptions options) {
        int[] labels = start.clone();
        ClusterGaussians gaussians = ClusterGaussians.of(points, labels, k, options.regCovar(), options.shrinkage());
        double objective = gaussians.logLikelihood(points, labels);
        double[] equal = new double[k];
        Arrays.fill(equal, 1.0 / k);
        for (int step = 0; step < POLISH_STEPS; step++) {
            Mixture densities = new Mixture(CovarianceType.FULL, equal, gaussians.means(), gaussians.covariances());
            int[] next = Scoring.predict(JavaLikelihoodKernel.INSTANCE, densities, points);
            if (Arrays.equals(next, labels) || IlaSdp.hasEmptyCluster(next, k)) {
                break;
            }
            ClusterGaussians nextGaussians = ClusterGaussians.of(points, next, k, options.regCovar(),
                    options.shrinkage());
            double nextObjective = nextGaussians.logLikelihood(points, next);
            if (!(nextObjective > objective)) {
                break;
            }
            labels = next;
            gaussians = nextGaussians;
            objective = nextObjective;
        }
        return new Scored(labels, gaussians, objective);
    }
}
