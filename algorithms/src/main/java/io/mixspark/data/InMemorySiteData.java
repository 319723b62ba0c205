package io.mixspark.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sites held in memory, each as {@link InMemoryBlockData}: for tests, simulations and the driver. */
public final class InMemorySiteData implements SiteData {

    private final Map<String, InMemoryBlockData> sites;
    private final int d;

    /**
     * @param sites the rows of each site, iterated in the map's order (which becomes
     *              {@link #sites()}); at least one site, all of the same dimension
     */
    public InMemorySiteData(Map<String, InMemoryBlockData> sites) {
        if (sites == null || sites.isEmpty()) {
            throw new IllegalArgumentException("site data needs at least one site, got none");
        }
        int dimension = -1;
        Map<String, InMemoryBlockData> copy = new LinkedHashMap<>();
        for (Map.Entry<String, InMemoryBlockData> e : sites.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("site names and data are required, got site " + e.getKey());
            }
            if (dimension < 0) {
                dimension = e.getValue().dimension();
            } else if (e.getValue().dimension() != dimension) {
                throw new IllegalArgumentException("every site must have " + dimension + " columns, site '"
                        + e.getKey() + "' has " + e.getValue().dimension());
            }
            copy.put(e.getKey(), e.getValue());
        }
        this.sites = copy;
        this.d = dimension;
    }

    /**
     * Splits row-major values by a site label per row, keeping the rows' order within each
     * site; sites appear in order of first occurrence.
     *
     * @param blockRows rows per block at every site, >= 1
     */
    public static InMemorySiteData split(double[] values, int d, String[] siteOfRow, int blockRows) {
        if (d < 1 || values.length % d != 0) {
            throw new IllegalArgumentException(values.length + " values do not split into rows of " + d);
        }
        int n = values.length / d;
        if (siteOfRow.length != n) {
            throw new IllegalArgumentException(n + " rows need " + n + " site labels, got " + siteOfRow.length);
        }
        Map<String, List<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (siteOfRow[i] == null) {
                throw new IllegalArgumentException("row " + i + " has no site label");
            }
            rows.computeIfAbsent(siteOfRow[i], s -> new ArrayList<>()).add(i);
        }
        Map<String, InMemoryBlockData> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : rows.entrySet()) {
            List<Integer> idx = e.getValue();
            double[] v = new double[idx.size() * d];
            for (int j = 0; j < idx.size(); j++) {
                System.arraycopy(values, idx.get(j) * d, v, j * d, d);
            }
            out.put(e.getKey(), InMemoryBlockData.of(v, null, d, blockRows));
        }
        return new InMemorySiteData(out);
    }

    @Override
    public List<String> sites() {
        return List.copyOf(sites.keySet());
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public <A> Map<String, A> aggregateBySite(Map<String, ? extends BlockAggregator<A>> perSite) {
        for (String s : perSite.keySet()) {
            requireSite(s);
        }
        Map<String, A> out = new LinkedHashMap<>();
        for (Map.Entry<String, InMemoryBlockData> e : sites.entrySet()) {
            BlockAggregator<A> aggregator = perSite.get(e.getKey());
            if (aggregator != null) {
                out.put(e.getKey(), e.getValue().aggregate(aggregator));
            }
        }
        return out;
    }

    @Override
    public BlockData site(String site) {
        return requireSite(site);
    }

    /** Every site's blocks as one data set, in site order: what a centralised fit would see. */
    public InMemoryBlockData pooled() {
        List<DataBlock> blocks = new ArrayList<>();
        for (InMemoryBlockData data : sites.values()) {
            blocks.addAll(data.blocks());
        }
        return new InMemoryBlockData(blocks, d);
    }

    private InMemoryBlockData requireSite(String site) {
        InMemoryBlockData data = sites.get(site);
        if (data == null) {
            throw new IllegalArgumentException("unknown site '" + site + "'; sites are " + sites.keySet());
        }
        return data;
    }
}
