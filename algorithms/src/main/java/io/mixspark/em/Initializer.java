package io.mixspark.em;

import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.Missingness;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SampledRows;
import io.mixspark.gmm.ConjugatePrior;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NearestCentrePass;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.init.KMeansParallel;
import io.mixspark.init.KMeansPlusPlus;
import io.mixspark.init.ModelBasedHierarchical;
import io.mixspark.init.SvdScaling;
import io.mixspark.sdp.BurerMonteiroOptions;
import io.mixspark.sdp.BurerMonteiroResult;
import io.mixspark.sdp.BurerMonteiroSdp;
import io.mixspark.sdp.SketchAndLift;
import java.util.Arrays;
import java.util.Random;

/**
 * EM's starting mixture: centres from k-means++, k-means|| or random rows, refined by Lloyd
 * passes over all rows (or the clusters of the k-means SDP on a sample, as they are), then the
 * mixture that the hard assignment to them implies (as scikit-learn starts from k-means labels);
 * or mclust's hierarchical partition of a sample. Every start but small-EM's keeps known labels
 * ({@link LabelledStart}).
 */
final class Initializer {

    /** k-means|| settings as in Spark MLlib's KMeans: 2 rounds of about 2k candidates. */
    private static final int PARALLEL_ROUNDS = 2;
    private static final double PARALLEL_OVERSAMPLING = 2.0;
    /** Lloyd passes stop once no centre moves by more than this share of the data's spread. */
    private static final double CENTRE_SHIFT_TOLERANCE = 1e-8;

    /** Rows the SDP start solves on: Burer-Monteiro costs O(rows d k) per iteration. */
    static final int SDP_SAMPLE_ROWS = 2000;

    private Initializer() {
    }

    /**
     * The sample the small-EM start runs on, shared by fits of the same seed whatever their model:
     * its rows as they are, missing values NaN, since the short runs are EM with missing values;
     * and what a missing value reads as in each short run's start (null without missing values).
     */
    record ShortRunSample(DataBlock rows, double[] fill) {
    }

    /** @param data the rows as they are, not the starts' filled view */
    static ShortRunSample shortRunSample(BlockData data, Missingness missingness, StartKey key) {
        DataBlock rows = sample(data, Math.min(key.sampleSize(), ShortRuns.SAMPLE_ROWS), missingness.counts(),
                key.seed());
        return new ShortRunSample(rows, missingness.hasMissing() ? EmFitter.startFill(missingness) : null);
    }

    /** The small-EM start ({@link ShortRuns}) on a sample. */
    static Mixture fromShortRuns(ShortRunSample sample, EmOptions options, long seed, String kernel,
                                 ConjugatePrior prior) {
        requireSampled("small-EM", sample.rows().rows(), options.k());
        return ShortRuns.best(sample.rows(), sample.fill(), options, seed, kernel, prior);
    }

    /** A start on a sample needs at least k sampled rows. */
    private static void requireSampled(String start, int rows, int k) {
        if (rows < k) {
            throw new IllegalArgumentException("the " + start + " start sampled " + rows + " rows, fewer than k = " + k);
        }
    }

    /** The means of the k-means SDP's clusters on the sample (solved by Burer-Monteiro). */
    private static double[] sdpCentres(DataBlock sample, int k, long seed) {
        requireSampled("SDP", sample.rows(), k);
        DataBlock rows = new DataBlock(sample.values(), null, sample.rows(), sample.d());
        BurerMonteiroResult solve = BurerMonteiroSdp.fit(rows, k, BurerMonteiroOptions.DEFAULTS.withSeed(seed));
        return SketchAndLift.centroids(rows, solve.labels(), k);
    }

    /**
     * What a start's centres or tree depend on: not the covariance type, so fits of the same k
     * and seed share them ({@link BatchedFits}); a hierarchical tree does not depend on k either,
     * so its key has k = 0.
     */
    record StartKey(int k, long seed, InitMode mode, int sampleSize, int initIterations, String kernel,
                    int hcSample) {

        static StartKey of(EmOptions options, long seed, String kernel) {
            return switch (options.initMode()) {
                case HC -> new StartKey(0, seed, InitMode.HC, 0, 0, "", options.hcSample());
                // The small-EM sample depends on neither k nor the kernel: fits of one seed share it.
                case SMALL_EM -> new StartKey(0, seed, InitMode.SMALL_EM,
                        Math.min(options.sampleSize(), ShortRuns.SAMPLE_ROWS), 0, "", 0);
                default -> new StartKey(options.k(), seed, options.initMode(), options.sampleSize(),
                        options.initIterations(), kernel, 0);
            };
        }
    }

    /** mclust's merge tree of a sample: the merges by classification likelihood on its SVD scaling. */
    record Tree(DataBlock sample, int[][] merges) {
    }

    /** The hierarchical tree of the sample a start key names. */
    static Tree tree(BlockData data, StartKey key, RowCounts counts) {
        DataBlock sample = sample(data, key.hcSample(), counts, key.seed());
        int n = sample.rows();
        SvdScaling.Scaled scaled = SvdScaling.transform(sample.values(), n, sample.d());
        return new Tree(sample, ModelBasedHierarchical.merges(scaled.values(), n, scaled.columns()));
    }

    /**
     * mclust's hierarchical start: the partition of a sample into k groups by model-based
     * agglomeration on the sample's SVD scaling, then the M-step of that partition. With known
     * labels the groups' means are the ordinary start's centres, which the labelled start adjusts
     * and the hard assignment of every row turns into the mixture, as for the other starts: the
     * partition does not know which component each label names.
     *
     * @param data     the starts' view of all rows, read only when rows are labelled
     * @param labelled whether any row carries a known component
     */
    static Mixture fromTree(Tree tree, BlockData data, boolean labelled, EmOptions options, String kernel,
                            ConjugatePrior prior, FitListener listener) {
        DataBlock sample = tree.sample();
        int n = sample.rows();
        int d = sample.d();
        int k = options.k();
        requireSampled("hierarchical", n, k);
        int[] labels = ModelBasedHierarchical.partition(tree.merges(), n, k);
        double[] means = new double[k * d];
        double[] counts = new double[k];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
            for (int a = 0; a < d; a++) {
                means[labels[i] * d + a] += sample.values()[i * d + a];
            }
        }
        for (int i = 0; i < k * d; i++) {
            means[i] /= counts[i / d];
        }
        if (labelled) {
            return fromCentres(data, LabelledStart.centres(data, means, k), options, kernel, prior, listener);
        }
        SufficientStatistics stats = SufficientStatistics.zero(k, d, options.covarianceType().needsFullScatter(),
                means);
        for (int i = 0; i < n; i++) {
            stats.addRowTotals(sample.weight(i), 0, 0);
            stats.addToComponent(labels[i], sample.weight(i), sample.values(), i * d);
        }
        return MStep.update(stats, options.covarianceType(), options.regCovar(), options.shrinkage(), prior,
                listener::warning, null);
    }

    /**
     * The start of one restart.
     *
     * @param data the rows as they are; the starts other than small-EM read them with missing
     *             values filled ({@link EmFitter#startData})
     */
    static Mixture initialMixture(BlockData data, Missingness missingness, EmOptions options, long seed,
                                  String kernel, ConjugatePrior prior, FitListener listener) {
        if (options.initMode() == InitMode.MODEL) {
            Mixture given = options.initialModel();
            if (given.d() != data.dimension()) {
                throw new IllegalArgumentException("the initial model has d=" + given.d() + ", the data has "
                        + data.dimension() + " columns");
            }
            return given;
        }
        StartKey key = StartKey.of(options, seed, kernel);
        if (options.initMode() == InitMode.SMALL_EM) {
            return fromShortRuns(shortRunSample(data, missingness, key), options, seed, kernel, prior);
        }
        RowCounts counts = missingness.counts();
        BlockData startData = EmFitter.startData(data, missingness);
        if (options.initMode() == InitMode.HC) {
            return fromTree(tree(startData, key, counts), startData, missingness.labelledRows() > 0, options, kernel,
                    prior, listener);
        }
        return fromCentres(startData, centres(startData, key, counts), options, kernel, prior, listener);
    }

    /** The start's centres, row-major k x d: seeding, then Lloyd passes unless random or SDP. */
    static double[] centres(BlockData data, StartKey key, RowCounts counts) {
        InitMode mode = key.mode();
        if (mode == InitMode.AUTO) {
            mode = counts.rows() <= key.sampleSize() ? InitMode.KMEANS_PLUS_PLUS : InitMode.KMEANS_PARALLEL;
        }
        int k = key.k();
        long seed = key.seed();
        double[] centres = switch (mode) {
            case RANDOM -> randomRows(sample(data, key.sampleSize(), counts, seed), k, new Random(seed));
            case KMEANS_PLUS_PLUS -> KMeansPlusPlus.cluster(sample(data, key.sampleSize(), counts, seed), k,
                    new Random(seed));
            case SDP -> sdpCentres(sample(data, Math.min(key.sampleSize(), SDP_SAMPLE_ROWS), counts, seed), k,
                    seed);
            case KMEANS_PARALLEL -> KMeansParallel.centres(data, k, PARALLEL_ROUNDS, PARALLEL_OVERSAMPLING, seed,
                    key.kernel());
            default -> throw new IllegalStateException("unexpected init mode " + mode);
        };
        centres = LabelledStart.centres(data, centres, k);
        if (mode != InitMode.RANDOM && mode != InitMode.SDP) {
            centres = lloydPasses(data, centres, k, key.initIterations(), key.kernel());
        }
        return centres;
    }

    /** The mixture that the hard assignment of every row to its nearest centre implies. */
    static Mixture fromCentres(BlockData data, double[] centres, EmOptions options, String kernel,
                               ConjugatePrior prior, FitListener listener) {
        SufficientStatistics hard = data.aggregate(
                new NearestCentrePass(centres, options.k(), options.covarianceType().needsFullScatter(), kernel));
        return MStep.update(hard, options.covarianceType(), options.regCovar(), options.shrinkage(), prior,
                listener::warning, null);
    }

    private static DataBlock sample(BlockData data, int sampleSize, RowCounts counts, long seed) {
        double fraction = Math.min(1.0, (double) sampleSize / Math.max(1, counts.rows()));
        return data.aggregate(SampledRows.uniform(data.dimension(), fraction, seed)).toSortedBlock();
    }

    /** k distinct rows in a seeded random order. */
    static double[] randomRows(DataBlock sample, int k, Random random) {
        int d = sample.d();
        Integer[] order = new Integer[sample.rows()];
        Arrays.setAll(order, i -> i);
        java.util.Collections.shuffle(Arrays.asList(order), random);
        double[] centres = new double[k * d];
        int chosen = 0;
        for (int i = 0; i < order.length && chosen < k; i++) {
            int row = order[i];
            boolean duplicate = false;
            for (int c = 0; c < chosen && !duplicate; c++) {
                duplicate = Arrays.equals(sample.values(), row * d, row * d + d, centres, c * d, c * d + d);
            }
            if (!duplicate) {
                System.arraycopy(sample.values(), row * d, centres, chosen * d, d);
                chosen++;
            }
        }
        if (chosen < k) {
            throw new IllegalArgumentException("found only " + chosen + " distinct rows among the " + sample.rows()
                    + " sampled rows, fewer than k = " + k + "; the data may hold fewer distinct rows than k");
        }
        return centres;
    }

    private static double[] lloydPasses(BlockData data, double[] start, int k, int passes, String kernel) {
        int d = data.dimension();
        double[] centres = start.clone();
        for (int pass = 0; pass < passes; pass++) {
            SufficientStatistics s = data.aggregate(new NearestCentrePass(centres, k, false, kernel));
            double spread = 0;
            double shift = 0;
            for (int c = 0; c < k; c++) {
                double n = s.count(c);
                for (int a = 0; a < d; a++) {
                    spread += n > 0 ? s.scattersView()[c * d + a] : 0;
                    double move = n > 0 ? s.sumsView()[c * d + a] / n : 0;
                    centres[c * d + a] += move;
                    shift = Math.max(shift, move * move);
                }
            }
            if (shift <= CENTRE_SHIFT_TOLERANCE * spread / Math.max(1.0, s.totalWeight() * d)) {
                break;
            }
        }
        return centres;
    }
}
