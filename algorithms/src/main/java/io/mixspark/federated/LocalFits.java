package io.mixspark.federated;

import io.mixspark.data.BlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SiteData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.NumericalFailureException;
import io.mixspark.select.ModelSelection;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Selection;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
     * The local fits of the one-shot stage.
     *
     * @param fits    the sites' local mixtures, in site order
     * @param dropped the sites whose fit failed, in site order: their rows are missing from
     *                {@code fits}
     */
    public record Result(List<LocalFit> fits, List<DroppedSite> dropped) {

        public Result {
            fits = List.copyOf(fits);
            dropped = List.copyOf(dropped);
        }
    }

    /**
     * A site whose local fit failed.
     *
     * @param site   the site's name
     * @param rows   rows at the site
     * @param reason why the fit failed
     */
    public record DroppedSite(String site, long rows, String reason) implements Serializable {
    }

    /**
     * Fits every site of {@code data} on its own, as
     * {@link #fit(SiteData, SiteGroups, LocalFitOptions, FitListener)} does.
     */
    public static Result fit(SiteData data, LocalFitOptions options, FitListener listener) {
        return fit(data, SiteGroups.single(data.sites()), options, listener);
    }

    /**
     * Fits every unit of {@code groups} (a site, or a pseudo-site of pooled small sites) in order.
     * A unit with no rows of positive weight is skipped with a warning, since it contributes
     * nothing to the pooled mixture; a unit whose fit fails for its data or numerically is
     * dropped with a warning, and its sites are listed in {@link Result#dropped()}.
     *
     * @throws IllegalArgumentException if no unit could be fitted
     */
    public static Result fit(SiteData data, SiteGroups groups, LocalFitOptions options, FitListener listener) {
        List<LocalFit> fits = new ArrayList<>();
        List<DroppedSite> dropped = new ArrayList<>();
        Map<String, RowCounts> siteRows = groups.pseudoSites() == 0 ? Map.of() : data.rowCounts();
        for (String unit : groups.units()) {
            BlockData rows = groups.rows(data, unit);
            RowCounts counts = rows.aggregate(RowCounts.pass());
            if (counts.rows() == 0 || !(counts.totalWeight() > 0)) {
                listener.warning("site '" + unit + "' has no rows with positive weight and was skipped");
                continue;
            }
            try {
                fits.add(fitSite(unit, rows, options, listener));
            } catch (IllegalArgumentException | NumericalFailureException e) {
                listener.warning(droppedWarning(unit, e.getMessage()));
                dropped.addAll(dropped(groups, unit, counts.rows(), e.getMessage(), siteRows));
            }
        }
        return result(fits, dropped);
    }

    /** The warning for a site or pseudo-site whose local fit failed. */
    public static String droppedWarning(String unit, String reason) {
        return "site '" + unit + "' could not be fitted and was dropped: " + reason;
    }

    /**
     * The sites of a unit whose fit failed: the site itself, or every member of a pseudo-site with
     * the pseudo-site named in the reason.
     *
     * @param siteRows rows of every site (needed only for a pseudo-site)
     */
    public static List<DroppedSite> dropped(SiteGroups groups, String unit, long rows, String reason,
                                            Map<String, RowCounts> siteRows) {
        if (!groups.isPseudoSite(unit)) {
            return List.of(new DroppedSite(unit, rows, reason));
        }
        return groups.members().get(unit).stream()
                .map(s -> new DroppedSite(s, siteRows.get(s).rows(), "pooled into '" + unit + "': " + reason))
                .toList();
    }

    /**
     * The fits and dropped sites as a result.
     *
     * @throws IllegalArgumentException if no site could be fitted
     */
    public static Result result(List<LocalFit> fits, List<DroppedSite> dropped) {
        if (fits.isEmpty()) {
            throw new IllegalArgumentException("no site could be fitted" + (dropped.isEmpty() ? ""
                    : ": " + dropped.stream().map(d -> d.site() + ": " + d.reason()).toList()));
        }
        return new Result(fits, dropped);
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
        return new LocalFit(site, best, best.rows(), best.totalWeight(),
                selection.failures().stream().map(ModelSelection.Failure::describe).toList());
    }

    /** A fixed k, lowered to max(1, floor(rows / (d + 1))) when the site has fewer than k (d + 1) rows. */
    static int fixedK(int k, long rows, int d) {
        long supported = Math.max(1, rows / (d + 1L));
        return (int) Math.min(k, supported);
    }
}
