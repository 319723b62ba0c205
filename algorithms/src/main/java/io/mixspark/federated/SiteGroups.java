package io.mixspark.federated;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SiteData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the one-shot stage fits locally: every site on its own, except sites too small for a local
 * fit of k components, whose rows are pooled into pseudo-sites and fitted together.
 *
 * <p>A site with fewer than k (d + 1) rows (the rows for k means and k full covariances that are
 * not singular) gets a local mixture of fewer than k components, each of which must cover several
 * true components; the reduction moves a local component as a whole and cannot split it again, so
 * many such sites blur the federated model. Small sites are therefore pooled, in site order, into
 * pseudo-sites of at least {@code targetRows} rows (the last one takes the rest), and each
 * pseudo-site is fitted as one site would be.
 *
 * @param members    each unit's sites, in site order: a site alone under its own name, or a
 *                   pseudo-site under a name of its own
 * @param minRows    k (d + 1): sites with fewer rows are small
 * @param smallSites how many sites were small
 * @param smallRows  rows at the small sites
 */
public record SiteGroups(Map<String, List<String>> members, long minRows, int smallSites, long smallRows)
        implements Serializable {

    /** The prefix of a pseudo-site's name, followed by its first and last site. */
    public static final String POOLED_PREFIX = "pooled:";

    public SiteGroups {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        members.forEach((group, sites) -> copy.put(group, List.copyOf(sites)));
        members = java.util.Collections.unmodifiableMap(copy);
    }

    /** Every site on its own. */
    public static SiteGroups single(List<String> sites) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        sites.forEach(s -> members.put(s, List.of(s)));
        return new SiteGroups(members, 0, 0, 0);
    }

    /**
     * Sites with rows but fewer than {@code minRows} pooled into pseudo-sites of at least
     * {@code targetRows} rows; every other site on its own.
     *
     * @param siteRows rows of every site, in site order
     */
    public static SiteGroups pooling(Map<String, RowCounts> siteRows, long minRows, long targetRows) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        List<List<String>> pools = new ArrayList<>();
        List<String> open = new ArrayList<>();
        long openRows = 0;
        int small = 0;
        long smallRows = 0;
        for (Map.Entry<String, RowCounts> e : siteRows.entrySet()) {
            long rows = e.getValue().rows();
            if (rows == 0 || rows >= minRows) {
                members.put(e.getKey(), List.of(e.getKey()));
                continue;
            }
            small++;
            smallRows += rows;
            open.add(e.getKey());
            openRows += rows;
            if (openRows >= targetRows) {
                pools.add(open);
                open = new ArrayList<>();
                openRows = 0;
            }
        }
        if (!open.isEmpty()) {
            if (pools.isEmpty()) {
                pools.add(open);
            } else {
                pools.get(pools.size() - 1).addAll(open);
            }
        }
        for (List<String> pool : pools) {
            String name = POOLED_PREFIX + pool.get(0) + ".." + pool.get(pool.size() - 1);
            while (siteRows.containsKey(name) || members.containsKey(name)) {
                name += "'";
            }
            members.put(name, pool);
        }
        return new SiteGroups(members, minRows, small, smallRows);
    }

    /** The names of the units fitted: sites and pseudo-sites. */
    public List<String> units() {
        return List.copyOf(members.keySet());
    }

    /** How many pseudo-sites the small sites were pooled into. */
    public int pseudoSites() {
        return (int) members.entrySet().stream().filter(e -> isPseudoSite(e.getKey())).count();
    }

    /** Whether {@code unit} is a pseudo-site rather than a site on its own. */
    public boolean isPseudoSite(String unit) {
        List<String> sites = members.get(unit);
        return sites != null && !(sites.size() == 1 && sites.get(0).equals(unit));
    }

    /** The unit of every site. */
    public Map<String, String> unitOfSite() {
        Map<String, String> out = new HashMap<>();
        members.forEach((unit, sites) -> sites.forEach(s -> out.put(s, unit)));
        return out;
    }

    /** A unit's rows: one site's, or every member's of a pseudo-site, read in one pass per aggregation. */
    public BlockData rows(SiteData data, String unit) {
        List<String> sites = members.get(unit);
        if (sites == null) {
            throw new IllegalArgumentException("unknown site '" + unit + "'");
        }
        return sites.size() == 1 ? data.site(sites.get(0)) : new Union(data, sites);
    }

    /** The blocks of several sites as one data set. */
    private record Union(SiteData data, List<String> sites) implements BlockData {

        @Override
        public int dimension() {
            return data.dimension();
        }

        @Override
        public <A> A aggregate(BlockAggregator<A> aggregator) {
            Map<String, BlockAggregator<A>> perSite = new LinkedHashMap<>();
            sites.forEach(s -> perSite.put(s, aggregator));
            A total = aggregator.zero();
            for (A part : data.aggregateBySite(perSite).values()) {
                total = aggregator.merge(total, part);
            }
            return total;
        }
    }
}
