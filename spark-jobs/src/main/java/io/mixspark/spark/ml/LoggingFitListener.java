package io.mixspark.spark.ml;

import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Logs every iteration (an EM iteration, or a federated round) and every warning, and forwards
 * them to the caller's listener.
 *
 * @param step what one iteration is called in the log, for example "EM iteration"
 */
record LoggingFitListener(Logger log, String step, FitListener delegate) implements FitListener {

    @Override
    public void restartStarted(int restart, int of) {
        log.info("EM restart {} of {}", restart + 1, of);
        delegate.restartStarted(restart, of);
    }

    @Override
    public void iteration(int restart, IterationRecord r) {
        log.info(String.format(Locale.ROOT, "%s %d: mean log-likelihood %.10g, change %.3g, %.3f s", step,
                r.iteration(), r.meanLogLikelihood(), r.change(), r.seconds()));
        delegate.iteration(restart, r);
    }

    @Override
    public void resumed(String source, int restart, int iteration) {
        log.info("resuming from checkpoint {} ({})", source, FitListener.resumePoint(restart, iteration));
        delegate.resumed(source, restart, iteration);
    }

    @Override
    public void warning(String message) {
        log.warn(message);
        delegate.warning(message);
    }
}
