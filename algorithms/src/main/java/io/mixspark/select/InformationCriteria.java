package io.mixspark.select;

/**
 * Information criteria of a fitted mixture, all on scikit-learn's scale where smaller is better
 * (R mclust reports BIC with the opposite sign).
 */
public final class InformationCriteria {

    private InformationCriteria() {
    }

    /** Bayesian information criterion (Schwarz, 1978): -2 log L + p log n. */
    public static double bic(double logLikelihood, long parameters, double n) {
        return -2 * logLikelihood + parameters * Math.log(n);
    }

    /** Akaike information criterion (Akaike, 1974): -2 log L + 2 p. */
    public static double aic(double logLikelihood, long parameters) {
        return -2 * logLikelihood + 2.0 * parameters;
    }

    /**
     * Integrated completed likelihood (Biernacki, Celeux and Govaert, 2000), in mclust's form
     * with the maximum a posteriori labels: BIC - 2 sum_i log max_k r_ik.
     */
    public static double icl(double bic, double sumLogMaxResponsibility) {
        return bic - 2 * sumLogMaxResponsibility;
    }
}
