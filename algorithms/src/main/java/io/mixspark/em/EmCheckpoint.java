package io.mixspark.em;

import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.util.List;

/**
 * A fit's state between two EM iterations, enough to continue it to the same result as an
 * uninterrupted run: which restart is under way, the mixture it reached, the iteration history,
 * and what earlier restarts produced.
 *
 * @param fingerprint  the settings the fit ran with (see {@link #fingerprintOf})
 * @param data         the data it ran on
 * @param restart      0-based restart under way
 * @param iteration    EM iterations that restart has completed (0: it has not started)
 * @param model        the mixture to evaluate next, or null when the restart has not started
 * @param previousMean mean log-likelihood of the last evaluated mixture (NaN before the first)
 * @param history      that restart's iterations so far
 * @param best         the best finished restart, or null
 * @param finished     final mean log-likelihoods of the finished restarts
 */
public record EmCheckpoint(String fingerprint, FitData data, int restart, int iteration, Mixture model,
                           double previousMean, List<IterationRecord> history, EmResult best, double[] finished) {

    public EmCheckpoint {
        history = List.copyOf(history);
        finished = finished.clone();
    }

    /**
     * The settings that must match for a checkpoint to be resumed: those that shape the
     * trajectory. Not maxIter or tol, so a resumed fit may run longer or stop sooner. The data
     * must match too ({@link FitData}). A model with a scikit-learn alias is named by it, as
     * checkpoints written before the mclust names were.
     */
    public static String fingerprintOf(EmOptions o) {
        CovarianceType type = o.covarianceType();
        return "k=" + o.k() + ",covariance=" + (type.alias() != null ? type.alias() : type.id()) + ",seed=" + o.seed() + ",init="
                + o.initMode().id() + ",nInit=" + o.nInit() + ",regCovar=" + o.regCovar() + ",sampleSize="
                + o.sampleSize() + ",initIterations=" + o.initIterations()
                + (o.initMode() == InitMode.HC ? ",hcSample=" + o.hcSample() : "")
                + (o.prior() == io.mixspark.gmm.Prior.NONE ? "" : ",prior=" + o.prior().id())
                + (o.shrinkage() == CovarianceShrinkage.NONE ? "" : ",shrinkage=" + o.shrinkage().id());
    }

    /**
     * Where checkpoints are kept. A save must never leave the store without a complete
     * checkpoint: the previous one stays readable until the new one is complete.
     */
    public interface Store {
        void save(EmCheckpoint checkpoint);

        /**
         * The latest complete checkpoint, or null when there is none.
         *
         * @throws MismatchException if it was written in a format this version does not read, or
         *                           no checkpoint there can be read
         */
        EmCheckpoint load();

        /** Where the checkpoint {@link #load()} last returned came from, for messages. */
        default String source() {
            return "in " + getClass().getSimpleName();
        }

        /** What the last {@link #load()} found and did not read (such as an older format), for warnings. */
        default List<String> notes() {
            return List.of();
        }
    }

    /** What a resumed fit does with a checkpoint written by another fit. */
    public enum OnMismatch {
        /** Stop with a {@link MismatchException}. */
        FAIL,
        /** Warn, and fit afresh (its first checkpoint then replaces the other fit's). */
        RESTART
    }

    /**
     * How a fit checkpoints.
     *
     * @param store      where checkpoints go
     * @param every      save after every this many iterations (>= 1), and after each restart
     * @param resume     continue from the store's checkpoint when it has one
     * @param features   the features' names, recorded in checkpoints and compared on resume (empty for none)
     * @param onMismatch what resuming does with a checkpoint of another fit
     */
    public record Policy(Store store, int every, boolean resume, List<String> features, OnMismatch onMismatch) {
        public Policy {
            if (store == null) {
                throw new IllegalArgumentException("a checkpoint store is required");
            }
            if (every < 1) {
                throw new IllegalArgumentException("checkpoint interval must be >= 1 iteration, got " + every);
            }
            features = List.copyOf(features);
            if (onMismatch == null) {
                throw new IllegalArgumentException("a mismatch policy is required");
            }
        }

        /** Unnamed features; a checkpoint of another fit stops the fit. */
        public Policy(Store store, int every, boolean resume) {
            this(store, every, resume, List.of(), OnMismatch.FAIL);
        }
    }

    /** A checkpoint to resume was written by another fit or in another format, or cannot be read. */
    public static final class MismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public MismatchException(String message) {
            super(message);
        }
    }
}
