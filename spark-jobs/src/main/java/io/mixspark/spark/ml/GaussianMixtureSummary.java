package io.mixspark.spark.ml;

import io.mixspark.em.EmResult;
import io.mixspark.em.IterationRecord;
import java.io.Serializable;
import java.util.List;

/**
 * What a fit did: the EM result (history, log-likelihood, BIC, AIC, ICL, restarts, kernel)
 * and the wall time of the whole fit.
 */
public final class GaussianMixtureSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient EmResult result;
    private final double totalSeconds;

    public GaussianMixtureSummary(EmResult result, double totalSeconds) {
        this.result = result;
        this.totalSeconds = totalSeconds;
    }

    public EmResult result() {
        return result;
    }

    public List<IterationRecord> history() {
        return result.history();
    }

    public double logLikelihood() {
        return result.logLikelihood();
    }

    public double meanLogLikelihood() {
        return result.meanLogLikelihood();
    }

    public int iterations() {
        return result.iterations();
    }

    public boolean converged() {
        return result.converged();
    }

    public double bic() {
        return result.bic();
    }

    public double aic() {
        return result.aic();
    }

    public double icl() {
        return result.icl();
    }

    public long rows() {
        return result.rows();
    }

    public String kernel() {
        return result.kernel();
    }

    public double totalSeconds() {
        return totalSeconds;
    }
}
