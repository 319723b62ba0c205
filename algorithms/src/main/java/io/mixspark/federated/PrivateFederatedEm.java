package io.mixspark.federated;

import io.mixspark.data.SiteData;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.SufficientStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Differentially private federated EM, in the manner of DP-EM (Park, Foulds, Chaudhuri and
 * Welling, "DP-EM: Differentially Private Expectation Maximization", AISTATS 2017) with zCDP
 * accounting (Bun &amp; Steinke, TCC 2016):
 * <ol>
 *   <li>every site runs the E-step of the current (public) mixture over its rows clipped to
 *       ||x|| <= B, weights clipped to [0, 1] ({@link ClippingAggregator});</li>
 *   <li>the statistics are turned into raw moments ({@link RawMoments}, which explains why raw
 *       rather than centred) and perturbed by the Gaussian mechanism with sigma = z Delta, Delta =
 *       1, B, B^2 for counts, first and second moments, at each site or once on the sum
 *       ({@link PrivacyOptions.NoisePlacement});</li>
 *   <li>the server merges them and runs the post-processed M-step ({@link PrivateMStep}), which
 *       knows the noise level of the merged moments and does not trust what it cannot resolve.</li>
 * </ol>
 * Each round is three releases of rho = 1 / (2 z^2) each; after T rounds rho = 3T / (2 z^2) and
 * z is calibrated so that rho + 2 sqrt(rho ln(1/delta)) equals the target epsilon. The run
 * always takes exactly {@code maxRounds} rounds: stopping on the data's log-likelihood would
 * leak, so none is computed or reported. The guarantee is per row, for add/remove neighbours,
 * and assumes the starting mixture does not depend on the private rows.
 */
public final class PrivateFederatedEm {

    private PrivateFederatedEm() {
    }

    /**
     * The private fit.
     *
     * @param model           the final mixture (after post-processing)
     * @param rounds          one record per round (log-likelihood not released: NaN)
     * @param noiseMultiplier z: every release had noise sigma = z Delta
     * @param rho             zCDP spent
     * @param epsilon         epsilon spent at {@code delta}
     * @param delta           the target delta
     */
    public record Result(Mixture model, List<RoundRecord> rounds, double noiseMultiplier, double rho,
                         double epsilon, double delta) {

        public Result {
            rounds = List.copyOf(rounds);
        }

        public long totalBytes() {
            return rounds.stream().mapToLong(RoundRecord::bytes).sum();
        }
    }

    /**
     * Runs exactly {@code options.maxRounds()} private rounds from {@code start}, which must be a
     * {@code FULL} or {@code DIAG} mixture chosen without the private rows (for example fitted on
     * public data, or drawn at random inside the ball of radius B).
     */
    public static Result run(SiteData data, Mixture start, FederatedOptions options, PrivacyOptions privacy,
                             FitListener listener) {
        if (start.d() != data.dimension()) {
            throw new IllegalArgumentException("the start has d=" + start.d() + ", the data has "
                    + data.dimension() + " columns");
        }
        CovarianceType type = start.covarianceType();
        if (type != CovarianceType.FULL && type != CovarianceType.DIAG) {
            throw new IllegalArgumentException("private federated EM supports full (VVV) and diag (VVI) covariances, got "
                    + type.label());
        }
        String kernel = Kernels.passName(options.kernel());
        List<String> sites = data.sites();
        int rounds = options.maxRounds();
        double z = privacy.noiseMultiplier(rounds);
        double b = privacy.clipNorm();
        ZcdpAccountant accountant = new ZcdpAccountant();
        Mixture model = start;
        List<RoundRecord> records = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            Map<String, SufficientStatistics> perSite = data.aggregateEverySite(
                    ClippingAggregator.expectation(model, kernel, b));
            RawMoments total = RawMoments.zero(model.k(), model.d(), type == CovarianceType.FULL);
            for (int s = 0; s < sites.size(); s++) {
                SufficientStatistics st = perSite.get(sites.get(s));
                total = total.plus(privacy.placement() == PrivacyOptions.NoisePlacement.SITE
                        ? siteRelease(st, model, privacy, z, round, s)
                        : RawMoments.fromCentred(st, model.k(), model.d(), type == CovarianceType.FULL));
            }
            if (privacy.placement() == PrivacyOptions.NoisePlacement.SERVER) {
                total = perturb(total, z, b, new Random(noiseSeed(privacy.seed(), round, -1)));
            }
            accountant.release(1, z);
            accountant.release(b, z * b);
            accountant.release(b * b, z * b * b);
            long down = sites.size() * CommunicationCost.modelDoubles(model) * CommunicationCost.BYTES_PER_DOUBLE;
            long up = sites.size() * total.doubles() * CommunicationCost.BYTES_PER_DOUBLE;
            int draws = privacy.placement() == PrivacyOptions.NoisePlacement.SITE ? sites.size() : 1;
            Mixture next = PrivateMStep.update(total, PrivateMStep.NoiseLevel.of(z, b, draws), model, privacy,
                    options.regCovar());
            RoundRecord record = new RoundRecord(round, Double.NaN, Double.NaN, model.k(), sites.size(), down, up,
                    (System.nanoTime() - t0) / 1e9);
            records.add(record);
            listener.iteration(0, record.asIterationRecord());
            model = next;
        }
        return new Result(model, records, z, accountant.rho(), accountant.epsilon(privacy.delta()),
                privacy.delta());
    }

    /**
     * What one site sends in one round under site-side noise: its clipped statistics as raw
     * moments plus Gaussian noise from a seed of (privacy seed, round, site index). Pure, so a
     * Spark task can run it next to the data.
     */
    public static RawMoments siteRelease(SufficientStatistics siteStatistics, Mixture model, PrivacyOptions privacy,
                                         double noiseMultiplier, int round, int siteIndex) {
        RawMoments raw = RawMoments.fromCentred(siteStatistics, model.k(), model.d(),
                model.covarianceType() == CovarianceType.FULL);
        return perturb(raw, noiseMultiplier, privacy.clipNorm(),
                new Random(noiseSeed(privacy.seed(), round, siteIndex)));
    }

    private static RawMoments perturb(RawMoments raw, double z, double b, Random random) {
        return z == 0 ? raw : raw.withGaussianNoise(z, z * b, z * b * b, random);
    }

    /** SplitMix64 of the three numbers, so that every (round, site) has its own stream. */
    static long noiseSeed(long seed, int round, int site) {
        long h = seed;
        for (long v : new long[] {round, site}) {
            h += 0x9E3779B97F4A7C15L ^ v;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
        }
        return h;
    }
}
