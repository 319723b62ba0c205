package io.mixspark.federated;

import io.mixspark.data.SiteData;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.ExpectationPass;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Federated EM (the exact-statistics scheme of federated mixture learning, e.g. FedGMM, Wu et al.,
 * ICML 2023, with shared weights): in every round the server sends the current mixture to the
 * sites, each site runs the E-step over its own rows and sends back only its
 * {@link SufficientStatistics} (counts, first moments and scatters about the sent means), the
 * server merges them and runs the ordinary M-step (Dempster, Laird and Rubin, 1977).
 *
 * <p>Because the statistics are a monoid, the merged statistics are those of the pooled rows, so
 * the fit equals centralised EM ({@link io.mixspark.em.EmFitter#run}) from the same start, with
 * the same stopping rule and round numbering, up to the order of floating-point additions,
 * however the rows are split. Every round also reports the bytes it moved.
 */
public final class FederatedEm {

    private FederatedEm() {
    }

    /**
     * The fit and its rounds.
     *
     * @param fit    the final mixture with the summary centralised EM would report (BIC over
     *               all rows, history = one record per round)
     * @param rounds one record per round, with its communication
     */
    public record Result(EmResult fit, List<RoundRecord> rounds) {

        public Result {
            rounds = List.copyOf(rounds);
        }

        public Mixture model() {
            return fit.model();
        }

        /** Bytes moved in all rounds, both ways. */
        public long totalBytes() {
            return rounds.stream().mapToLong(RoundRecord::bytes).sum();
        }
    }

    /**
     * Runs federated EM from {@code start} (any mixture of the data's dimension; its covariance
     * type is kept).
     *
     * @throws NumericalFailureException as centralised EM does
     */
    public static Result run(SiteData data, Mixture start, FederatedOptions options, FitListener listener) {
        if (start.d() != data.dimension()) {
            throw new IllegalArgumentException("the start has d=" + start.d() + ", the data has "
                    + data.dimension() + " columns");
        }
        String kernel = Kernels.passName(options.kernel());
        List<String> sites = data.sites();
        Mixture model = start;
        List<RoundRecord> rounds = new ArrayList<>();
        List<IterationRecord> history = new ArrayList<>();
        double previous = Double.NaN;
        for (int round = 1; round <= options.maxRounds(); round++) {
            long t0 = System.nanoTime();
            SufficientStatistics stats = merged(data, model, kernel, sites);
            double mean = checkedMean(stats, round);
            double change = round == 1 ? Double.NaN : mean - previous;
            boolean converged = round > 1 && Math.abs(change) < options.tol();
            Mixture next = converged ? model
                    : MStep.update(stats, model.covarianceType(), options.regCovar(), listener::warning, model);
            RoundRecord record = record(round, mean, change, model, sites.size(), t0);
            rounds.add(record);
            history.add(record.asIterationRecord());
            listener.iteration(0, record.asIterationRecord());
            if (converged) {
                return new Result(EmResult.of(model, history, true, stats, kernel), rounds);
            }
            previous = mean;
            model = next;
        }
        // As centralised EM: one more pass evaluates the last update.
        long t0 = System.nanoTime();
        SufficientStatistics last = merged(data, model, kernel, sites);
        checkedMean(last, options.maxRounds() + 1);
        rounds.add(record(options.maxRounds() + 1, last.meanLogLikelihood(),
                last.meanLogLikelihood() - previous, model, sites.size(), t0));
        return new Result(EmResult.of(model, history, false, last, kernel), rounds);
    }

    /** Every site's E-step under {@code model}, merged in site order: all that travels up. */
    static SufficientStatistics merged(SiteData data, Mixture model, String kernel, List<String> sites) {
        Map<String, SufficientStatistics> perSite = data.aggregateEverySite(new ExpectationPass(model, kernel));
        SufficientStatistics total = SufficientStatistics.empty();
        for (String s : sites) {
            total = total.merge(perSite.get(s));
        }
        return total;
    }

    static double checkedMean(SufficientStatistics stats, int round) {
        if (stats.isEmpty() || !(stats.totalWeight() > 0)) {
            throw new IllegalArgumentException("the sites hold no rows with positive weight");
        }
        double mean = stats.meanLogLikelihood();
        if (!Double.isFinite(mean)) {
            throw new NumericalFailureException("the mean log-likelihood became " + mean + " in round " + round
                    + "; check the input for extreme values or rescale the features");
        }
        return mean;
    }

    private static RoundRecord record(int round, double mean, double change, Mixture model, int sites, long t0) {
        long down = sites * CommunicationCost.modelDoubles(model) * CommunicationCost.BYTES_PER_DOUBLE;
        long up = sites * CommunicationCost.statisticsDoubles(model.k(), model.d(), model.covarianceType())
                * CommunicationCost.BYTES_PER_DOUBLE;
        return new RoundRecord(round, mean, change, model.k(), sites, down, up, (System.nanoTime() - t0) / 1e9);
    }
}
