package io.mixspark.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks of rows split by site (hospital, device, region): every federated algorithm
 * ({@code io.mixspark.federated}) reads its data only through this interface. The in-memory
 * implementation is {@link InMemorySiteData}; the Spark module's is {@code SparkSiteData}, over
 * an RDD of (site, block) pairs, where {@link #aggregateBySite} is one job with the aggregators
 * broadcast.
 *
 * <p>What a site runs is always a {@link BlockAggregator}, which is serialisable; its result
 * (the only thing that leaves the site) must be serialisable too.
 */
public interface SiteData {

    /** The site names, in a fixed order that every algorithm uses for merging and reporting. */
    List<String> sites();

    /** Number of columns of every row at every site. */
    int dimension();

    /**
     * One pass over the blocks of every site named in {@code perSite}: each site's blocks are
     * folded with that site's own aggregator (starting from its {@code zero()}, partial results
     * combined with its {@code merge}).
     *
     * @param perSite an aggregator per site; sites left out are not read
     * @return each requested site's result (its aggregator's {@code zero()} when it has no
     *     blocks), in the order of {@link #sites()}
     * @throws IllegalArgumentException naming a requested site that does not exist
     */
    <A> Map<String, A> aggregateBySite(Map<String, ? extends BlockAggregator<A>> perSite);

    /**
     * One site's rows as ordinary {@link BlockData}, for fitting a local model with the centralised
     * fitter (in Spark, a filtered view of the cached RDD).
     *
     * @throws IllegalArgumentException naming a site that does not exist
     */
    BlockData site(String site);

    /** The same aggregator at every site. */
    default <A> Map<String, A> aggregateEverySite(BlockAggregator<A> aggregator) {
        Map<String, BlockAggregator<A>> perSite = new LinkedHashMap<>();
        for (String s : sites()) {
            perSite.put(s, aggregator);
        }
        return aggregateBySite(perSite);
    }

    /** Rows and total row weight of every site, in one pass. */
    default Map<String, RowCounts> rowCounts() {
        return aggregateEverySite(RowCounts.pass());
    }
}
