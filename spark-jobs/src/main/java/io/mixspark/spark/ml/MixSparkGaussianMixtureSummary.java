package io.mixspark.spark.ml;

import io.mixspark.em.EmResult;
import io.mixspark.em.IterationRecord;
import java.io.Serializable;
import java.util.List;

/**
 * What a fit did: the EM result (history, log-likelihood, BIC, AIC, ICL, restarts, kernel)
 * and the wall time of the whole fit.
 */
public class MixSparkGaussianMixtureSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient EmResult result;
    private final double totalSeconds;
    private final String storage;
    private final long cachedBytes;

    public MixSparkGaussianMixtureSummary(EmResult result, double totalSeconds) {
        this(result, totalSeconds, "", 0);
    }

    /**
     * @param storage     how the cached blocks held their values ("double" or "float"), or "" if the
     *                    fit cached none
     * @param cachedBytes bytes of those cached blocks as Spark's block manager counted them
     */
    public MixSparkGaussianMixtureSummary(EmResult result, double totalSeconds, String storage, long cachedBytes) {
        this.result = result;
        this.totalSeconds = totalSeconds;
        this.storage = storage;
        this.cachedBytes = cachedBytes;
    }

    /** A copy, for the deprecated {@link GaussianMixtureSummary}. */
    protected MixSparkGaussianMixtureSummary(MixSparkGaussianMixtureSummary other) {
        this(other.result, other.totalSeconds, other.storage, other.cachedBytes);
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

    public String storage() {
        return storage;
    }

    public long cachedBytes() {
        return cachedBytes;
    }

    /** Cached bytes per row, or NaN when nothing was cached. */
    public double cachedBytesPerRow() {
        return cachedBytes == 0 || rows() == 0 ? Double.NaN : (double) cachedBytes / rows();
    }
}
