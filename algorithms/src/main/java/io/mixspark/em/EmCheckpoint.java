package io.mixspark.em;

import io.mixspark.gmm.Mixture;
import java.util.List;

/**
 * A fit's state between two EM iterations, enough to continue it to the same result as an
 * uninterrupted run: which restart is under way, the mixture it reached, the iteration history,
 * and what earlier restarts produced.
 *
 * @param fingerprint  the settings and data the fit ran with (see {@link #fingerprintOf})
 * @param restart      0-based restart under way
 * @param iteration    EM iterations that restart has completed (0: it has not started)
 * @param model        the mixture to evaluate next, or null when the restart has not started
 * @param previousMean mean log-likelihood of the last evaluated mixture (NaN before the first)
 * @param history      that restart's iterations so far
 * @param best         the best finished restart, or null
 * @param finished     final mean log-likelihoods of the finished restarts
 */
public record EmCheckpoint(String fingerprint, int restart, int iteration, Mixture model, double previousMean,
                           List<IterationRecord> history, EmResult best, double[] finished) {

    public EmCheckpoint {
        history = List.copyOf(history);
        finished = finished.clone();
    }

    /**
     * What must match for a checkpoint to be resumed: the settings that shape the trajectory and
     * the data's size. Not maxIter or tol, so a resumed fit may run longer or stop sooner.
     */
    public static String fingerprintOf(EmOptions o, long rows, double totalWeight) {
        return "k=" + o.k() + ",covariance=" + o.covarianceType().id() + ",seed=" + o.seed() + ",init="
                + o.initMode().id() + ",nInit=" + o.nInit() + ",regCovar=" + o.regCovar() + ",sampleSize="
                + o.sampleSize() + ",initIterations=" + o.initIterations() + ",rows=" + rows + ",totalWeight="
                + totalWeight;
    }

    /** Where checkpoints are kept; an implementation must replace the previous one atomically. */
    public interface Store {
        void save(EmCheckpoint checkpoint);

        /** The latest checkpoint, or null when there is none. */
        EmCheckpoint load();
    }

    /**
     * How a fit checkpoints.
     *
     * @param store  where checkpoints go
     * @param every  save after every this many iterations (>= 1), and after each restart
     * @param resume continue from the store's checkpoint when it has one
     */
    public record Policy(Store store, int every, boolean resume) {
        public Policy {
            if (store == null) {
                throw new IllegalArgumentException("a checkpoint store is required");
            }
            if (every < 1) {
                throw new IllegalArgumentException("checkpoint interval must be >= 1 iteration, got " + every);
            }
        }
    }
}
