package io.mixspark.spark.ml;

import io.mixspark.data.Missingness;
import io.mixspark.em.EmResult;
import io.mixspark.em.IterationRecord;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a fit did: the EM result (history, log-likelihood, BIC, AIC, ICL, restarts, kernel)
 * and the wall time of the whole fit; for a fit that kept missing values, where they were.
 */
public class MixSparkGaussianMixtureSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient EmResult result;
    private final double totalSeconds;
    private final String storage;
    private final long cachedBytes;
    private final Missingness missingness;
    private final TreeMap<String, Long> kernelsUsed;

    public MixSparkGaussianMixtureSummary(EmResult result, double totalSeconds) {
        this(result, totalSeconds, "", 0);
    }

    public MixSparkGaussianMixtureSummary(EmResult result, double totalSeconds, String storage, long cachedBytes) {
        this(result, totalSeconds, storage, cachedBytes, null);
    }

    /**
     * @param storage     how the cached blocks held their values ("double" or "float"), or "" if the
     *                    fit cached none
     * @param cachedBytes bytes of those cached blocks as Spark's block manager counted them
     * @param missingness where the fitted rows missed values, or null if the fit kept none (missing
     *                    was not {@code em})
     */
    public MixSparkGaussianMixtureSummary(EmResult result, double totalSeconds, String storage, long cachedBytes,
                                          Missingness missingness) {
        this(result, totalSeconds, storage, cachedBytes, missingness, Map.of());
    }

    /** @param kernelsUsed tasks per kernel that ran them, as the executors reported */
    public MixSparkGaussianMixtureSummary(EmResult result, double totalSeconds, String storage, long cachedBytes,
                                          Missingness missingness, Map<String, Long> kernelsUsed) {
        this.kernelsUsed = new TreeMap<>(kernelsUsed);
        this.result = result;
        this.totalSeconds = totalSeconds;
        this.storage = storage;
        this.cachedBytes = cachedBytes;
        this.missingness = missingness;
    }

    /** A copy, for the deprecated {@link GaussianMixtureSummary}. */
    protected MixSparkGaussianMixtureSummary(MixSparkGaussianMixtureSummary other) {
        this(other.result, other.totalSeconds, other.storage, other.cachedBytes, other.missingness,
                other.kernelsUsed);
    }

    /**
     * The tasks of the fit's passes per likelihood kernel that ran them on the executors, for
     * example {@code {native-avx512=40, java=2}}; {@link #kernel()} is the driver's choice.
     */
    public Map<String, Long> kernelsUsed() {
        return Collections.unmodifiableMap(kernelsUsed);
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

    /**
     * Rows with missing values, rows with none observed (left out), patterns and the missing
     * share per feature; present when the fit ran with missing {@code em}.
     */
    public Optional<Missingness> missingness() {
        return Optional.ofNullable(missingness);
    }

    /** Cached bytes per row, or NaN when nothing was cached. */
    public double cachedBytesPerRow() {
        return cachedBytes == 0 || rows() == 0 ? Double.NaN : (double) cachedBytes / rows();
    }
}
