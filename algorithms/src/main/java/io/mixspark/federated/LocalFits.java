package io.mixspark.federated;

import io.mixspark.data.BlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SiteData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.select.ModelSelection;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The first stage of one-shot federated learning (Zhang &amp; Chen, "Distributed Learning of
 * Finite Gaussian Mixtures", JMLR 2022): every site fits its own mixture by EM, with a fixed
 * number of components or the number chosen at that site by BIC (Schwarz, 1978). Only the local
 * mixtures and row weights leave the sites; {@link MixtureReduction} combines them.
 */
public final class LocalFits {

    private LocalFits() {
    }

    /**
     * Fits every site of {@code data} in site order; a site with no rows is skipped with a
     * warning, since it contributes nothing to the pooled mixture.
     *
     * @throws IllegalArgumentException if no site could be fitted
     */
    public static List<LocalFit> fit(SiteData data, LocalFitOptions options, FitListener listener) {
        List<LocalFit> fits = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String site : data.sites()) {
            BlockData rows = data.site(site);
            RowCounts counts = rows.aggregate(RowCounts.pass());
            if (counts.rows() == 0 || !(counts.totalWeight() > 0)) {
                listener.warning("site '" + site + "' has no rows with positive weight and was skipped");
                skipped.add(site);
                continue;
            }
            try {
                fits.add(fitSite(site, rows, options, listener));
            } catch (RuntimeException e) {
                listener.warning("site '" + site + "' could not be fitted and was skipped: " + e.getMessage());
                skipped.add(site + ": " + e.getMessage());
            }
        }
        if (fits.isEmpty()) {
            throw new IllegalArgumentException("no site could be fitted: " + skipped);
        }
        return List.copyOf(fits);
    }

    /**
     * Fits one site's rows: what a site runs on its own machine (or a Spark task on one site's
     * rows). With k chosen by BIC, candidates with more components than the site has rows are left
     * out. A fixed k is lowered at a site with fewer than k (d + 1) rows to
     * max(1, floor(rows / (d + 1))), so that every local component has on average the d + 1 rows a
     * full covariance needs; this matters for the large fixed k of {@link LocalFitOptions#overfit}.
     *
     * @throws IllegalArgumentException if no candidate could be fitted
     */
    public static LocalFit fitSite(String site, BlockData rows, LocalFitOptions options, FitListener listener) {
        RowCounts counts = rows.aggregate(RowCounts.pass());
        if (options.fixedK()) {
            if (counts.rows() == 0) {
                throw new IllegalArgumentException("site '" + site + "' has no rows");
            }
            int k = fixedK(options.kMin(), counts.rows(), rows.dimension());
            EmResult result = EmFitter.fit(rows, options.emOptions(k), listener);
            return new LocalFit(site, result, result.rows(), result.totalWeight(), List.of());
        }
        int kMax = (int) Math.min(options.kMax(), counts.rows());
        if (kMax < options.kMin()) {
            throw new IllegalArgumentException("site '" + site + "' has " + counts.rows()
                    + " rows, fewer than kMin = " + options.kMin());
        }
        if (options.kMin() == kMax) {
            EmResult result = EmFitter.fit(rows, options.emOptions(kMax), listener);
            return new LocalFit(site, result, result.rows(), result.totalWeight(), List.of());
        }
        List<Integer> ks = IntStream.rangeClosed(options.kMin(), kMax).boxed().toList();
        Selection selection = ModelSelection.select(rows, ks, List.of(options.covarianceType()),
                options.emOptions(options.kMin()), Criterion.BIC, listener);
        EmResult best = selection.best().result();
        return new LocalFit(site, best, best.rows(), best.totalWeight(), selection.failures());
    }

    /** A fixed k, lowered to max(1, floor(rows / (d + 1))) when the site has fewer than k (d + 1) rows. */
    static int fixedK(int k, long rows, int d) {
        long supported = Math.max(1, rows / (d + 1L));
        return (int) Math.min(k, supported);
    }
}
