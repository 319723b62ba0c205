package io.mixspark.spark;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SiteData;
import io.mixspark.em.FitListener;
import io.mixspark.federated.LocalFit;
import io.mixspark.federated.LocalFitOptions;
import io.mixspark.federated.LocalFits;
import io.mixspark.federated.SiteGroups;
import io.mixspark.gmm.NumericalFailureException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Rows split by site on Spark: an RDD of (site, block) pairs, packed once per (partition, site)
 * and cached. {@link #aggregateBySite} is one Spark job: the per-site aggregators are broadcast,
 * every partition folds its blocks into a map from site to partial result, and the maps meet in
 * {@code treeAggregate}. {@link #site(String)} is a filtered view of the same cached blocks.
 *
 * <p>The site of a row is the string form of a site column of any type, or, without one, the
 * index of the row's partition ({@link #partitionSite()}), which makes every partition a site.
 * Sites are ordered numerically when both names are integers, else as strings.
 */
public final class SparkSiteData implements SiteData, AutoCloseable {

    /** Orders site names: integers numerically (partition indices), before any other name. */
    public static final Comparator<String> SITE_ORDER = SparkSiteData::compareSites;

    private final JavaPairRDD<String, DataBlock> blocks;
    private final int d;
    private final int depth;
    private final boolean ownsCache;
    private final List<String> sites;
    private final Map<String, RowCounts> counts;
    private final KernelUsage kernelsUsed = new KernelUsage();

    /**
     * @param blocks (site, block) pairs; persisted here if not persisted already, and unpersisted
     *               by {@link #close()} only in that case
     * @param d      columns of every block
     * @param depth  depth of the aggregation tree, >= 1
     * @throws IllegalArgumentException if there are no rows at all
     */
    public SparkSiteData(JavaPairRDD<String, DataBlock> blocks, int d, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
        }
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
        this.ownsCache = blocks.getStorageLevel().equals(StorageLevel.NONE());
        this.blocks = ownsCache ? blocks.persist(StorageLevel.MEMORY_AND_DISK()) : blocks;
        this.d = d;
        this.depth = depth;
        blocks.context().register(kernelsUsed, "mixspark kernels used");
        Map<String, RowCounts> found = foldBySite(this.blocks, null, RowCounts.pass(), depth, kernelsUsed);
        if (found.isEmpty()) {
            close();
            throw new IllegalArgumentException("the input has no rows");
        }
        List<String> names = new ArrayList<>(found.keySet());
        names.sort(SITE_ORDER);
        Map<String, RowCounts> ordered = new LinkedHashMap<>();
        names.forEach(s -> ordered.put(s, found.get(s)));
        this.sites = List.copyOf(names);
        this.counts = java.util.Collections.unmodifiableMap(ordered);
    }

    /**
     * Packs a DataFrame by site.
     *
     * @param featuresCol a vector column
     * @param siteCol     the site column (any type; its string form names the site), or null
     *                    or empty to make every partition a site
     * @param weightCol   null or empty for unit weights
     * @param blockRows   rows per block at most, >= 1
     * @throws IllegalArgumentException for a missing column, no rows, or (when the blocks are
     *                                  built) a null site, a vector of another size, a non-finite
     *                                  feature or a negative or non-finite weight
     */
    public static SparkSiteData fromDataFrame(Dataset<?> data, String featuresCol, String siteCol, String weightCol,
                                              int blockRows, int depth) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("block size must be >= 1 row, got " + blockRows);
        }
        List<String> columns = Arrays.asList(data.columns());
        for (String c : new String[] {featuresCol, siteCol, weightCol}) {
            if (c != null && !c.isEmpty() && !columns.contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' does not exist; columns: "
                        + String.join(", ", columns));
            }
        }
        List<Row> first = data.select(featuresCol).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the input has no rows");
        }
        int dimension = ((Vector) first.get(0).get(0)).size();
        return new SparkSiteData(pack(data, featuresCol, siteCol, weightCol, dimension, blockRows), dimension, depth);
    }

    /** The site of every row as a string column: the site column's value, or the partition index. */
    public static Column siteColumn(String siteCol) {
        return siteCol == null || siteCol.isEmpty() ? partitionSite()
                : functions.col(siteCol).cast("string");
    }

    /** The index of the row's partition, as a string: the site when no site column is given. */
    public static Column partitionSite() {
        return functions.spark_partition_id().cast("string");
    }

    /** (site, block) pairs: each partition's rows grouped by site and packed into blocks. */
    public static JavaPairRDD<String, DataBlock> pack(Dataset<?> data, String featuresCol, String siteCol,
                                                      String weightCol, int d, int blockRows) {
        boolean weighted = weightCol != null && !weightCol.isEmpty();
        String site = siteCol == null || siteCol.isEmpty() ? "partition" : siteCol;
        Column features = functions.col(featuresCol);
        Dataset<Row> columns = weighted
                ? data.select(features, siteColumn(siteCol), functions.col(weightCol).cast("double"))
                : data.select(features, siteColumn(siteCol));
        return columns.javaRDD().mapPartitionsToPair(rows -> packPartition(rows, weighted, d, blockRows,
                featuresCol, site, weightCol));
    }

    /** A site's rows being packed: grows up to one block, then starts the next. */
    private static final class Buffer {
        double[] values;
        double[] weights;
        int rows;

        Buffer(int capacity, int d, boolean weighted) {
            values = new double[capacity * d];
            weights = weighted ? new double[capacity] : null;
        }
    }

    private static Iterator<Tuple2<String, DataBlock>> packPartition(Iterator<Row> rows, boolean weighted, int d,
                                                                   int blockRows, String featuresCol, String siteCol,
                                                                   String weightCol) {
        int initial = Math.min(blockRows, 64);
        Map<String, Buffer> open = new LinkedHashMap<>();
        List<Tuple2<String, DataBlock>> out = new ArrayList<>();
        long seen = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            seen++;
            if (row.isNullAt(1)) {
                throw new IllegalArgumentException("site column '" + siteCol + "' is null in row " + seen
                        + " of its partition");
            }
            String site = row.getString(1);
            Vector v = row.isNullAt(0) ? null : row.getAs(0);
            if (v == null) {
                throw new IllegalArgumentException("column '" + featuresCol + "' is null in row " + seen
                        + " of its partition");
            }
            if (v.size() != d) {
                throw new IllegalArgumentException("column '" + featuresCol + "' has " + v.size() + " values in row "
                        + seen + " of its partition, expected " + d);
            }
            Buffer b = open.computeIfAbsent(site, s -> new Buffer(initial, d, weighted));
            if (b.rows * d == b.values.length) {
                int capacity = Math.min(blockRows, 2 * b.rows);
                b.values = Arrays.copyOf(b.values, capacity * d);
                b.weights = weighted ? Arrays.copyOf(b.weights, capacity) : null;
            }
            for (int a = 0; a < d; a++) {
                double x = v.apply(a);
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("feature " + a + " of column '" + featuresCol + "' is " + x
                            + " in row " + seen + " of its partition");
                }
                b.values[b.rows * d + a] = x;
            }
            if (weighted) {
                double w = row.isNullAt(2) ? Double.NaN : row.getDouble(2);
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("weight column '" + weightCol + "' is " + w + " in row " + seen
                            + " of its partition; weights must be finite and >= 0");
                }
                b.weights[b.rows] = w;
            }
            b.rows++;
            if (b.rows == blockRows) {
                out.add(new Tuple2<>(site, new DataBlock(b.values, b.weights, b.rows, d)));
                open.remove(site);
            }
        }
        for (Map.Entry<String, Buffer> e : open.entrySet()) {
            Buffer b = e.getValue();
            out.add(new Tuple2<>(e.getKey(), new DataBlock(Arrays.copyOf(b.values, b.rows * d),
                    weighted ? Arrays.copyOf(b.weights, b.rows) : null, b.rows, d)));
        }
        return out.iterator();
    }

    /** The cached (site, block) pairs. */
    public JavaPairRDD<String, DataBlock> blocks() {
        return blocks;
    }

    @Override
    public List<String> sites() {
        return sites;
    }

    @Override
    public int dimension() {
        return d;
    }

    /** Rows and total weight of every site, counted once when the blocks were cached. */
    @Override
    public Map<String, RowCounts> rowCounts() {
        return counts;
    }

    @Override
    public <A> Map<String, A> aggregateBySite(Map<String, ? extends BlockAggregator<A>> perSite) {
        for (String s : perSite.keySet()) {
            requireSite(s);
        }
        if (perSite.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Map<String, A> found = foldBySite(blocks, new HashMap<>(perSite), null, depth, kernelsUsed);
        Map<String, A> out = new LinkedHashMap<>();
        for (String s : sites) {
            BlockAggregator<A> aggregator = perSite.get(s);
            if (aggregator != null) {
                A value = found.get(s);
                out.put(s, value == null ? aggregator.zero() : value);
            }
        }
        return out;
    }

    /**
     * The tasks of this data's passes so far per likelihood kernel, as each executor ran them:
     * the passes over the cached site blocks (by site and pooled), not the local fits of
     * {@link #fitSitesInTasks}. Tasks run, retries included ({@link KernelUsage}).
     */
    public Map<String, Long> kernelsUsed() {
        return kernelsUsed.value();
    }

    /**
     * One job folding every block with its site's aggregator ({@code perSite}), or with
     * {@code every} for all sites when perSite is null; each task counts the kernels its
     * aggregators ran with, and partial maps merge in treeAggregate.
     */
    private static <A> Map<String, A> foldBySite(JavaPairRDD<String, DataBlock> blocks,
                                                 HashMap<String, BlockAggregator<A>> perSite,
                                                 BlockAggregator<A> every, int depth, KernelUsage usage) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<Passes<A>> passes = sc.broadcast(new Passes<>(perSite, every));
        try {
            return blocks.mapPartitions(pairs -> {
                Passes<A> p = passes.value();
                HashMap<String, A> acc = new HashMap<>();
                Set<String> kernels = new TreeSet<>();
                while (pairs.hasNext()) {
                    Tuple2<String, DataBlock> pair = pairs.next();
                    BlockAggregator<A> aggregator = p.of(pair._1());
                    String kernel = aggregator == null ? null : aggregator.kernelUsed();
                    if (kernel != null) {
                        kernels.add(kernel);
                    }
                    acc = p.add(acc, pair._1(), pair._2());
                }
                kernels.forEach(usage::add);
                return Collections.singletonList(acc).iterator();
            }).treeAggregate(new HashMap<String, A>(),
                    (left, right) -> passes.value().merge(left, right),
                    (left, right) -> passes.value().merge(left, right),
                    depth);
        } finally {
            passes.destroy();
        }
    }

    /** The aggregators a job runs, by site: what is broadcast. */
    private record Passes<A>(HashMap<String, BlockAggregator<A>> perSite, BlockAggregator<A> every)
            implements Serializable {

        BlockAggregator<A> of(String site) {
            return perSite == null ? every : perSite.get(site);
        }

        HashMap<String, A> add(HashMap<String, A> acc, String site, DataBlock block) {
            BlockAggregator<A> aggregator = of(site);
            if (aggregator != null) {
                A current = acc.get(site);
                acc.put(site, aggregator.add(current == null ? aggregator.zero() : current, block));
            }
            return acc;
        }

        HashMap<String, A> merge(HashMap<String, A> left, HashMap<String, A> right) {
            for (Map.Entry<String, A> e : right.entrySet()) {
                A current = left.get(e.getKey());
                left.put(e.getKey(), current == null ? e.getValue() : of(e.getKey()).merge(current, e.getValue()));
            }
            return left;
        }
    }

    @Override
    public BlockData site(String site) {
        requireSite(site);
        return new View(blocks.filter(pair -> pair._1().equals(site)).values(), d, depth, kernelsUsed);
    }

    /** Every site's rows as one data set: what a centralised fit would see. */
    public BlockData pooled() {
        return new View(blocks.values(), d, depth, kernelsUsed);
    }

    /** Blocks of the cached pairs, read through a narrow transformation (nothing is cached twice). */
    private record View(JavaRDD<DataBlock> blocks, int dimension, int depth, KernelUsage usage) implements BlockData {
        @Override
        public <A> A aggregate(BlockAggregator<A> aggregator) {
            return SparkBlockData.aggregate(blocks, aggregator, depth, usage);
        }
    }

    /**
     * The local fits of every site on its own, as
     * {@link #fitSitesInTasks(SiteGroups, LocalFitOptions, FitListener)} makes them.
     */
    public LocalFits.Result fitSitesInTasks(LocalFitOptions options, FitListener listener) {
        return fitSitesInTasks(SiteGroups.single(sites), options, listener);
    }

    /**
     * The local fits of every unit of {@code groups} (a site, or a pseudo-site of pooled small
     * sites) in one Spark job: each unit's blocks are gathered into one task, which fits the unit's
     * mixture as a site would on its own machine. The same result as
     * {@link LocalFits#fit(SiteData, SiteGroups, LocalFitOptions, FitListener)}, which instead runs
     * every EM iteration of every unit as a Spark job; here a unit's rows must fit in one task's
     * memory. Units without rows of positive weight are skipped with a warning; units whose fit
     * fails for their data or numerically are dropped with a warning and their sites listed in the
     * result.
     *
     * @throws IllegalArgumentException if no unit could be fitted
     */
    public LocalFits.Result fitSitesInTasks(SiteGroups groups, LocalFitOptions options, FitListener listener) {
        int dimension = d;
        List<String> units = groups.units();
        int tasks = Math.max(1, Math.min(units.size(), 4 * blocks.context().defaultParallelism()));
        Map<String, String> unitOfSite = groups.unitOfSite();
        JavaPairRDD<String, DataBlock> byUnit = groups.pseudoSites() == 0 ? blocks
                : blocks.mapToPair(pair -> new Tuple2<>(unitOfSite.get(pair._1()), pair._2()));
        List<SiteOutcome> outcomes = byUnit.groupByKey(new HashPartitioner(tasks))
                .map(group -> fitSite(group._1(), group._2(), dimension, options))
                .collect();
        Map<String, SiteOutcome> bySite = new HashMap<>();
        outcomes.forEach(o -> bySite.put(o.site(), o));
        List<LocalFit> fits = new ArrayList<>();
        List<LocalFits.DroppedSite> dropped = new ArrayList<>();
        for (String s : units) {
            SiteOutcome o = bySite.get(s);
            if (o == null) {
                continue;
            }
            o.warnings().forEach(listener::warning);
            if (o.fit() != null) {
                fits.add(o.fit());
            } else if (o.dropped() != null) {
                listener.warning(LocalFits.droppedWarning(s, o.dropped().reason()));
                dropped.addAll(LocalFits.dropped(groups, s, o.dropped().rows(), o.dropped().reason(), counts));
            } else {
                listener.warning("site '" + s + "' has no rows with positive weight and was skipped");
            }
        }
        return LocalFits.result(fits, dropped);
    }

    /**
     * What a site's task sends back: its fit, or why it was dropped, or neither for a site with
     * no rows of positive weight; and its warnings.
     */
    private record SiteOutcome(String site, LocalFit fit, LocalFits.DroppedSite dropped, List<String> warnings)
            implements Serializable {
    }

    private static SiteOutcome fitSite(String site, Iterable<DataBlock> blocks, int d, LocalFitOptions options) {
        List<DataBlock> list = new ArrayList<>();
        blocks.forEach(list::add);
        InMemoryBlockData rows = new InMemoryBlockData(list, d);
        RowCounts counts = rows.aggregate(RowCounts.pass());
        if (counts.rows() == 0 || !(counts.totalWeight() > 0)) {
            return new SiteOutcome(site, null, null, List.of());
        }
        List<String> warnings = new ArrayList<>();
        FitListener collect = new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add("site '" + site + "': " + message);
            }
        };
        try {
            return new SiteOutcome(site, LocalFits.fitSite(site, rows, options, collect), null, List.copyOf(warnings));
        } catch (IllegalArgumentException | NumericalFailureException e) {
            return new SiteOutcome(site, null, new LocalFits.DroppedSite(site, counts.rows(), e.getMessage()),
                    List.copyOf(warnings));
        }
    }

    @Override
    public void close() {
        if (ownsCache) {
            blocks.unpersist(false);
        }
    }

    private void requireSite(String site) {
        if (!counts.containsKey(site)) {
            throw new IllegalArgumentException("unknown site '" + site + "'; sites are " + sites);
        }
    }

    private static int compareSites(String a, String b) {
        Long x = asLong(a);
        Long y = asLong(b);
        if (x != null && y != null) {
            int c = Long.compare(x, y);
            return c != 0 ? c : a.compareTo(b);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static Long asLong(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && s.length() > 1)) {
                return null;
            }
        }
        return Long.parseLong(s);
    }
}
