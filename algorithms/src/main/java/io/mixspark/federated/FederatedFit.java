package io.mixspark.federated;

import io.mixspark.data.BlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SiteData;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.util.Ids;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One federated fit as the command line and the Estimator run it, over any {@link SiteData}:
 * <ul>
 *   <li>{@code one-shot}: every site fits its own mixture, the server pools and reduces them
 *       ({@link LocalFits}, {@link MixtureReduction}); optionally followed by federated EM rounds
 *       from the reduced mixture, which close the gap that skewed sites leave;</li>
 *   <li>{@code em}: federated EM ({@link FederatedEm}), or with privacy settings the
 *       differentially private variant ({@link PrivateFederatedEm});</li>
 *   <li>{@code personalized}: shared components with per-site weights and novelty scores
 *       ({@link PersonalizedEm}).</li>
 * </ul>
 * The start of {@code em} and {@code personalized} is a given mixture, else the one-shot
 * reduction (only local mixtures leave the sites). The private fit never starts from the
 * one-shot reduction, whose local fits saw the private rows: it starts from a given (public)
 * mixture, else from a random one drawn without looking at the data ({@link StartingMixtures}).
 * Finally one E-step over all rows gives the model's log-likelihood, BIC, AIC and ICL, as for a
 * centralised fit.
 *
 * <p>Nothing here touches Spark: {@code mixspark federated} and the Estimator
 * {@code FederatedGaussianMixture} pass a {@code SparkSiteData}, its pooled view and a
 * {@link LocalFitter}.
 */
public final class FederatedFit {

    private FederatedFit() {
    }

    /** The federated algorithm. */
    public enum Mode {
        ONE_SHOT("one-shot"), EM("em"), PERSONALIZED("personalized");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** {@code one-shot}, {@code em} or {@code personalized} (case-insensitive). */
        public static Mode parse(String text) {
            return Ids.parse(text, values(), Mode::id, "mode");
        }
    }

    /**
     * How the local fits of the one-shot stage run over the sites: {@link LocalFits#fit} (one
     * pass of the site data per EM iteration), or on Spark one task per site
     * ({@code SparkSiteData.fitSitesInTasks}).
     */
    @FunctionalInterface
    public interface LocalFitter {
        LocalFits.Result fit(SiteData data, SiteGroups groups, LocalFitOptions options, FitListener listener);
    }

    /**
     * Sites of the one-shot stage too small for a local fit of k components, pooled into
     * pseudo-sites for their local fits ({@link SiteGroups}).
     *
     * @param count       how many sites had fewer than {@code minRows} rows
     * @param rows        rows at those sites
     * @param minRows     k (d + 1)
     * @param targetRows  rows of a pseudo-site at least (the last takes the rest):
     *                    max(k, largest local k) (d + 1)
     * @param pseudoSites the pseudo-sites with their sites
     * @param action      what was done: {@link #POOLED}
     */
    public record SmallSites(int count, long rows, long minRows, long targetRows, Map<String, List<String>> pseudoSites,
                             String action) {

        /** The action: small sites' rows pooled into pseudo-sites for the local fits. */
        public static final String POOLED = "pooled";

        public SmallSites {
            pseudoSites = Collections.unmodifiableMap(new LinkedHashMap<>(pseudoSites));
        }

        /** The pseudo-site of every small site. */
        public Map<String, String> pooledInto() {
            Map<String, String> out = new HashMap<>();
            pseudoSites.forEach((unit, sites) -> sites.forEach(s -> out.put(s, unit)));
            return out;
        }

        /** The warning that says what was done. */
        public String describe(int sites) {
            return count + " of " + sites + " sites have fewer than k (d + 1) = " + minRows + " rows, too few for "
                    + "a local fit of k components; their " + rows + " rows were pooled into " + pseudoSites.size()
                    + " pseudo-site" + (pseudoSites.size() == 1 ? "" : "s") + " of at least " + targetRows
                    + " rows for the local fits (see smallSites in metrics.json)";
        }
    }

    /**
     * Settings of a federated fit.
     *
     * @param mode         the algorithm
     * @param k            components of the federated model, >= 1
     * @param type         covariance type (one-shot and private: full or diag)
     * @param localKMin    smallest local k, >= 1
     * @param localKMax    largest local k, >= localKMin (equal: fixed local k; else chosen by BIC)
     * @param rounds       federated rounds at most (one-shot: EM rounds after the reduction, >= 0;
     *                     em and personalized: >= 1; private: exactly this many)
     * @param tol          stop the local fits and the rounds when the mean log-likelihood changes
     *                     by less, >= 0
     * @param seed         seed of the local fits, of the random private start and of the noise
     * @param maxIter      EM iterations of a local fit, >= 1
     * @param nInit        restarts of a local fit, >= 1
     * @param regCovar     added to every variance, >= 0
     * @param kernel       likelihood kernel name
     * @param privacy      differential privacy settings (em only), or null
     * @param initialModel the start of em and personalized, or null
     */
    public record Settings(Mode mode, int k, CovarianceType type, int localKMin, int localKMax, int rounds, double tol,
                           long seed, int maxIter, int nInit, double regCovar, String kernel, PrivacyOptions privacy,
                           Mixture initialModel) {

        /** Rounds of the private fit when none are given: few, since the noise grows as sqrt(rounds). */
        public static final int DEFAULT_PRIVATE_ROUNDS = 10;

        public Settings {
            if (mode == null || type == null) {
                throw new IllegalArgumentException("mode and covariance type are required");
            }
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            if (localKMin < 1 || localKMax < localKMin) {
                throw new IllegalArgumentException("the local k must be >= 1 (a range must not be empty), got "
                        + localKMin + ".." + localKMax);
            }
            if (rounds < (mode == Mode.ONE_SHOT ? 0 : 1)) {
                throw new IllegalArgumentException("rounds must be >= " + (mode == Mode.ONE_SHOT ? 0 : 1) + " in "
                        + mode.id() + " mode, got " + rounds);
            }
            if (mode == Mode.ONE_SHOT && type != CovarianceType.FULL && type != CovarianceType.DIAG) {
                throw new IllegalArgumentException("one-shot reduction gives full (VVV) or diag (VVI) covariances, got "
                        + type.label());
            }
            if (privacy != null && mode != Mode.EM) {
                throw new IllegalArgumentException("differential privacy (epsilon) applies to mode em, not "
                        + mode.id());
            }
            if (privacy != null && type != CovarianceType.FULL && type != CovarianceType.DIAG) {
                throw new IllegalArgumentException("private federated EM supports full (VVV) and diag (VVI) covariances, got "
                        + type.label());
            }
            if (initialModel != null && mode == Mode.ONE_SHOT) {
                throw new IllegalArgumentException("one-shot mode starts from the local fits; an initial model "
                        + "applies to em and personalized");
            }
            if (initialModel != null && (initialModel.k() != k || initialModel.covarianceType() != type)) {
                throw new IllegalArgumentException("the initial model has k=" + initialModel.k() + " and covariance "
                        + initialModel.covarianceType().id() + ", the fit asks for k=" + k + " and " + type.id());
            }
            // The EM-side checks (maxIter, tol, nInit, regCovar, kernel) with their messages.
            new LocalFitOptions(localKMin, localKMax, type, maxIter, tol, regCovar, nInit, seed, kernel);
        }

        /** Rounds when none are given: 0 after one-shot, 10 private, else 100 (EM's iteration limit). */
        public static int defaultRounds(Mode mode, boolean isPrivate) {
            return mode == Mode.ONE_SHOT ? 0 : isPrivate ? DEFAULT_PRIVATE_ROUNDS : EmOptions.DEFAULT_MAX_ITER;
        }

        public boolean isPrivate() {
            return privacy != null;
        }

        /** How every site fits its local mixture. */
        public LocalFitOptions localOptions() {
            return new LocalFitOptions(localKMin, localKMax, type, maxIter, tol, regCovar, nInit, seed, kernel);
        }

        FederatedOptions federatedOptions() {
            return new FederatedOptions(Math.max(rounds, 1), tol, regCovar, kernel);
        }
    }

    /**
     * What a federated fit did.
     *
     * @param settings       what was asked
     * @param model          the federated mixture (personalized: the shared components with the
     *                       pooled weights)
     * @param fit            the model's E-step over all rows (log-likelihood, BIC, AIC, ICL), with
     *                       one history record per round that updated the model
     * @param start          where the rounds started: {@code one-shot}, {@code initial-model} or
     *                       {@code random}
     * @param rounds         every round with its communication (one-shot alone: none)
     * @param converged      whether the rounds stopped on tol (one-shot alone: whether the
     *                       reduction converged)
     * @param siteRows       rows and total weight of every site
     * @param localFits      the sites' local mixtures (empty when no one-shot stage ran)
     * @param droppedSites   sites whose local fit failed (see {@link #partial()})
     * @param smallSites     sites too small for a local fit of k components and what was done,
     *                       or null when none (or no one-shot stage ran)
     * @param reduction      the one-shot reduction, or null
     * @param oneShotBytes   bytes the sites sent up in the one-shot stage (local mixtures and row
     *                       weights, 8 per double)
     * @param personalized   the personalized fit, or null
     * @param privateFit     the private fit, or null
     */
    public record Outcome(Settings settings, Mixture model, EmResult fit, String start, List<RoundRecord> rounds,
                          boolean converged, Map<String, RowCounts> siteRows, List<LocalFit> localFits,
                          List<LocalFits.DroppedSite> droppedSites, SmallSites smallSites,
                          MixtureReduction.Result reduction, long oneShotBytes, PersonalizedEm.Result personalized,
                          PrivateFederatedEm.Result privateFit) {

        public Outcome {
            rounds = List.copyOf(rounds);
            localFits = List.copyOf(localFits);
            droppedSites = List.copyOf(droppedSites);
        }

        /**
         * Whether the model lacks the rows of dropped sites: a one-shot reduction that no rounds
         * followed. Rounds read every site's rows, so there a dropped site only left the start
         * without its local fit.
         */
        public boolean partial() {
            return !droppedSites.isEmpty() && rounds.isEmpty();
        }

        /** The pseudo-site of every site pooled for its local fit; empty when none was. */
        public Map<String, String> pooledInto() {
            return smallSites == null ? Map.of() : smallSites.pooledInto();
        }

        /** Bytes moved in the whole fit: the one-shot upload and every round, both ways. */
        public long totalBytes() {
            return oneShotBytes + rounds.stream().mapToLong(RoundRecord::bytes).sum();
        }

        /** The mixture a site's rows are scored with: its personalized one, else the model. */
        public Mixture siteModel(String site) {
            return personalized != null && personalized.siteWeights().containsKey(site)
                    ? personalized.siteModel(site) : model;
        }
    }

    /**
     * Runs the fit.
     *
     * @param data    the rows by site
     * @param pooled  the same rows as one data set, for the final E-step
     * @param local   how the local fits run ({@link LocalFits#fit} on any site data)
     * @throws IllegalArgumentException for unusable data, such as no site that can be fitted
     * @throws NumericalFailureException as centralised EM does
     */
    public static Outcome run(SiteData data, BlockData pooled, Settings settings, LocalFitter local,
                              FitListener listener) {
        String kernel = Kernels.passName(settings.kernel());
        Map<String, RowCounts> siteRows = data.rowCounts();
        List<LocalFit> localFits = List.of();
        List<LocalFits.DroppedSite> dropped = List.of();
        SmallSites small = null;
        MixtureReduction.Result reduction = null;
        long oneShotBytes = 0;
        Mixture start;
        String startName;
        if (settings.initialModel() != null) {
            start = settings.initialModel();
            startName = "initial-model";
        } else if (settings.isPrivate()) {
            start = StartingMixtures.random(settings.k(), data.dimension(), settings.type(),
                    settings.privacy().clipNorm(), settings.seed());
            startName = "random";
        } else {
            long minRows = (long) settings.k() * (data.dimension() + 1);
            long targetRows = (long) Math.max(settings.k(), settings.localKMax()) * (data.dimension() + 1);
            SiteGroups groups = SiteGroups.pooling(siteRows, minRows, targetRows);
            if (groups.smallSites() > 0) {
                Map<String, List<String>> pseudo = new LinkedHashMap<>();
                groups.members().forEach((unit, sites) -> {
                    if (groups.isPseudoSite(unit)) {
                        pseudo.put(unit, sites);
                    }
                });
                small = new SmallSites(groups.smallSites(), groups.smallRows(), minRows, targetRows, pseudo,
                        SmallSites.POOLED);
                listener.warning(small.describe(siteRows.size()));
            }
            LocalFits.Result fitted = local.fit(data, groups, settings.localOptions(), warningsOnly(listener));
            localFits = fitted.fits();
            dropped = fitted.dropped();
            CovarianceType reduced = settings.type() == CovarianceType.DIAG ? CovarianceType.DIAG : CovarianceType.FULL;
            reduction = MixtureReduction.reduce(localFits, MixtureReduction.Options.of(settings.k())
                    .withCovarianceType(reduced));
            if (reduction.model().k() < settings.k()) {
                listener.warning("the one-shot reduction kept " + reduction.model().k() + " of " + settings.k()
                        + " components");
            }
            for (LocalFit f : localFits) {
                oneShotBytes += (CommunicationCost.modelDoubles(f.result().model()) + 1)
                        * CommunicationCost.BYTES_PER_DOUBLE;
            }
            start = StartingMixtures.withCovarianceType(reduction.model(), settings.type());
            startName = "one-shot";
        }

        Mixture model = start;
        List<RoundRecord> rounds = List.of();
        List<IterationRecord> history = List.of();
        boolean converged = reduction != null && reduction.converged();
        PersonalizedEm.Result personalized = null;
        PrivateFederatedEm.Result privateFit = null;
        FederatedOptions options = settings.federatedOptions();
        switch (settings.mode()) {
            case ONE_SHOT, EM -> {
                if (settings.isPrivate()) {
                    privateFit = PrivateFederatedEm.run(data, start, options, settings.privacy(), listener);
                    model = privateFit.model();
                    rounds = privateFit.rounds();
                    history = records(rounds);
                    converged = false;
                } else if (settings.rounds() > 0) {
                    FederatedEm.Result em = FederatedEm.run(data, start, options, listener);
                    model = em.model();
                    rounds = em.rounds();
                    history = em.fit().history();
                    converged = em.fit().converged();
                }
            }
            case PERSONALIZED -> {
                personalized = PersonalizedEm.run(data, start, options, listener);
                model = personalized.shared();
                rounds = personalized.rounds();
                converged = personalized.converged();
                // Without convergence the last round only evaluates the last update, as in EM.
                history = records(converged ? rounds : rounds.subList(0, rounds.size() - 1));
            }
            default -> throw new IllegalStateException("unknown mode " + settings.mode());
        }
        EmResult fit = evaluate(pooled, model, history, converged, kernel);
        return new Outcome(settings, model, fit, startName, rounds, converged, siteRows, localFits, dropped, small,
                reduction, oneShotBytes, personalized, privateFit);
    }

    /** One E-step of {@code model} over all rows, summarised as a centralised fit would be. */
    static EmResult evaluate(BlockData pooled, Mixture model, List<IterationRecord> history, boolean converged,
                             String kernel) {
        SufficientStatistics last = pooled.aggregate(new ExpectationPass(model, kernel));
        if (last.isEmpty() || !(last.totalWeight() > 0)) {
            throw new IllegalArgumentException("the sites hold no rows with positive weight");
        }
        double mean = last.meanLogLikelihood();
        if (!Double.isFinite(mean)) {
            throw new NumericalFailureException("the federated model's mean log-likelihood is " + mean
                    + "; check the input for extreme values or rescale the features");
        }
        return EmResult.of(model, history, converged, last, kernel);
    }

    /** The local fits' own EM iterations are not the federated rounds: pass on their warnings only. */
    private static FitListener warningsOnly(FitListener listener) {
        return new FitListener() {
            @Override
            public void warning(String message) {
                listener.warning(message);
            }
        };
    }

    private static List<IterationRecord> records(List<RoundRecord> rounds) {
        List<IterationRecord> out = new ArrayList<>();
        rounds.forEach(r -> out.add(r.asIterationRecord()));
        return out;
    }

    /** A one-line description of the local k setting, for logs and metrics. */
    public static String describeLocalK(Settings s) {
        return s.localKMin() == s.localKMax() ? String.valueOf(s.localKMin())
                : String.format(Locale.ROOT, "%d..%d by BIC", s.localKMin(), s.localKMax());
    }
}
