package io.mixspark.federated;

import io.mixspark.data.SiteData;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Federated EM with personalised mixing weights, after FedGMM (Wu et al., "Personalized
 * Federated Learning under Mixture of Distributions", ICML 2023): the components (means and
 * covariances) are shared by all sites, and every site has its own mixing weights.
 *
 * <p>Each round, every site runs the E-step under its own mixture (shared components, its
 * weights) and sends its statistics, centred on the shared means. The server merges them: the
 * shared means and covariances come from the summed statistics, which is exactly the M-step of the
 * pooled complete-data likelihood (each site's statistics enter with weight n_s pi_sc; no averaging
 * of covariances, so the between-site term of the scatter is kept, unlike FedGMM's public code).
 * Each site's new weights are its own counts over its total weight. The log-likelihood of the
 * personalised model never decreases, up to the ridge.
 *
 * <p>Each site's <em>novelty score</em> is its mean log-likelihood under its personalised model:
 * a site whose rows the shared components do not explain (a shifted or new population) scores
 * clearly lower than the others.
 */
public final class PersonalizedEm {

    /**
     * Smallest per-site weight: a site that holds no rows of a component keeps it with this
     * weight (then renormalised), since a mixture needs positive weights.
     */
    public static final double WEIGHT_FLOOR = 1e-10;

    /** The M-step's rule for an empty component (see {@link MStep}): count <= this share of the total. */
    private static final double EMPTY_COMPONENT_SHARE = 1e-12;

    private PersonalizedEm() {
    }

    /**
     * The personalised fit.
     *
     * @param shared        the shared components, with the pooled mixing weights of all sites
     * @param siteWeights   each site's mixing weights over the shared components
     * @param novelty       each site's mean log-likelihood under its personalised model (NaN for
     *                      a site without rows); lower means more novel
     * @param rounds        one record per round
     * @param converged     whether the change fell below tol
     * @param logLikelihood total log-likelihood of all rows under their sites' models
     * @param totalWeight   total row weight
     */
    public record Result(Mixture shared, Map<String, double[]> siteWeights, Map<String, Double> novelty,
                         List<RoundRecord> rounds, boolean converged, double logLikelihood, double totalWeight) {

        public Result {
            Map<String, double[]> w = new LinkedHashMap<>();
            siteWeights.forEach((s, v) -> w.put(s, v.clone()));
            siteWeights = Collections.unmodifiableMap(w);
            novelty = Collections.unmodifiableMap(new LinkedHashMap<>(novelty));
            rounds = List.copyOf(rounds);
        }

        /** A site's personalised mixture: the shared components with its weights. */
        public Mixture siteModel(String site) {
            double[] w = siteWeights.get(site);
            if (w == null) {
                throw new IllegalArgumentException("unknown site '" + site + "'; sites are " + siteWeights.keySet());
            }
            return withWeights(shared, w);
        }

        public double meanLogLikelihood() {
            return logLikelihood / totalWeight;
        }
    }

    /** Runs personalised federated EM; every site starts with the start's weights. */
    public static Result run(SiteData data, Mixture start, FederatedOptions options, FitListener listener) {
        if (start.d() != data.dimension()) {
            throw new IllegalArgumentException("the start has d=" + start.d() + ", the data has "
                    + data.dimension() + " columns");
        }
        String kernel = Kernels.passName(options.kernel());
        List<String> sites = data.sites();
        Mixture shared = start;
        Map<String, double[]> weights = new LinkedHashMap<>();
        for (String s : sites) {
            weights.put(s, start.weights());
        }
        List<RoundRecord> rounds = new ArrayList<>();
        double previous = Double.NaN;
        Map<String, SufficientStatistics> perSite = null;
        SufficientStatistics total = null;
        boolean converged = false;
        for (int round = 1; round <= options.maxRounds() + 1; round++) {
            long t0 = System.nanoTime();
            Map<String, ExpectationPass> passes = new LinkedHashMap<>();
            for (String s : sites) {
                passes.put(s, new ExpectationPass(withWeights(shared, weights.get(s)), kernel));
            }
            perSite = data.aggregateBySite(passes);
            total = SufficientStatistics.empty();
            for (String s : sites) {
                total = total.merge(perSite.get(s));
            }
            double mean = FederatedEm.checkedMean(total, round);
            double change = round == 1 ? Double.NaN : mean - previous;
            converged = round > 1 && round <= options.maxRounds() && Math.abs(change) < options.tol();
            long down = sites.size() * CommunicationCost.modelDoubles(shared) * CommunicationCost.BYTES_PER_DOUBLE;
            long up = sites.size() * CommunicationCost.statisticsDoubles(shared.k(), shared.d(),
                    shared.covarianceType()) * CommunicationCost.BYTES_PER_DOUBLE;
            RoundRecord record = new RoundRecord(round, mean, change, shared.k(), sites.size(), down, up,
                    (System.nanoTime() - t0) / 1e9);
            rounds.add(record);
            listener.iteration(0, record.asIterationRecord());
            if (converged || round == options.maxRounds() + 1) {
                break;
            }
            previous = mean;
            Mixture next = MStep.update(total, shared.covarianceType(), options.regCovar(), listener::warning, shared);
            List<Integer> kept = keptComponents(total, next.k());
            for (String s : sites) {
                SufficientStatistics st = perSite.get(s);
                weights.put(s, st.isEmpty() || !(st.totalWeight() > 0) ? next.weights() : siteWeights(st, kept));
            }
            shared = next;
        }
        Map<String, Double> novelty = new LinkedHashMap<>();
        for (String s : sites) {
            SufficientStatistics st = perSite.get(s);
            novelty.put(s, st.isEmpty() || !(st.totalWeight() > 0) ? Double.NaN : st.meanLogLikelihood());
        }
        return new Result(shared, weights, novelty, rounds, converged, total.logLikelihood(), total.totalWeight());
    }

    /** A site's counts over the kept components, normalised, floored at {@link #WEIGHT_FLOOR}. */
    static double[] siteWeights(SufficientStatistics st, List<Integer> kept) {
        double[] w = new double[kept.size()];
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            w[j] = Math.max(st.count(kept.get(j)), 0);
            sum += w[j];
        }
        double floored = 0;
        for (int j = 0; j < w.length; j++) {
            w[j] = sum > 0 ? Math.max(w[j] / sum, WEIGHT_FLOOR) : 1.0 / w.length;
            floored += w[j];
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= floored;
        }
        return w;
    }

    /** The components the M-step kept, by its own rule, checked against the model it returned. */
    private static List<Integer> keptComponents(SufficientStatistics stats, int keptByMStep) {
        double total = 0;
        for (int c = 0; c < stats.k(); c++) {
            total += stats.count(c);
        }
        List<Integer> kept = new ArrayList<>();
        for (int c = 0; c < stats.k(); c++) {
            if (stats.count(c) > EMPTY_COMPONENT_SHARE * total) {
                kept.add(c);
            }
        }
        if (kept.size() != keptByMStep) {
            throw new IllegalStateException("the M-step kept " + keptByMStep + " components, the site weights "
                    + kept.size());
        }
        return kept;
    }

    /** The same components with other weights. */
    static Mixture withWeights(Mixture components, double[] weights) {
        double[][] covs = new double[components.k()][];
        for (int c = 0; c < components.k(); c++) {
            covs[c] = components.covariance(c);
        }
        return new Mixture(components.covarianceType(), weights, components.means(), covs);
    }
}
