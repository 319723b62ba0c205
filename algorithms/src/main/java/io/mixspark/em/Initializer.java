package io.mixspark.em;

import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.RowCounts;
import io.mixspark.data.SampledRows;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.NearestCentrePass;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.init.KMeansParallel;
import io.mixspark.init.KMeansPlusPlus;
import io.mixspark.sdp.BurerMonteiroOptions;
import io.mixspark.sdp.BurerMonteiroResult;
import io.mixspark.sdp.BurerMonteiroSdp;
import io.mixspark.sdp.SketchAndLift;
import java.util.Arrays;
import java.util.Random;

/**
 * EM's starting mixture: centres from k-means++, k-means|| or random rows, refined by Lloyd
 * passes over all rows (or the clusters of the k-means SDP on a sample, as they are), then the mixture that the hard assignment to them implies (as
 * scikit-learn starts from k-means labels).
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

    /** The means of the k-means SDP's clusters on the sample (solved by Burer-Monteiro). */
    private static double[] sdpCentres(DataBlock sample, int k, long seed) {
        if (sample.rows() < k) {
            throw new IllegalArgumentException("the SDP start sampled " + sample.rows() + " rows, fewer than k = " + k);
        }
        DataBlock rows = new DataBlock(sample.values(), null, sample.rows(), sample.d());
        BurerMonteiroResult solve = BurerMonteiroSdp.fit(rows, k, BurerMonteiroOptions.DEFAULTS.withSeed(seed));
        return SketchAndLift.centroids(rows, solve.labels(), k);
    }

    static Mixture initialMixture(BlockData data, EmOptions options, long seed, RowCounts counts, String kernel,
                                  FitListener listener) {
        if (options.initMode() == InitMode.MODEL) {
            Mixture given = options.initialModel();
            if (given.d() != data.dimension()) {
                throw new IllegalArgumentException("the initial model has d=" + given.d() + ", the data has "
                        + data.dimension() + " columns");
            }
            return given;
        }
        return fromCentres(data, centres(data, StartKey.of(options, seed, kernel), counts), options, kernel,
                listener);
    }

    /**
     * What a start's centres depend on: not the covariance type, so fits of the same k and seed
     * share them ({@link BatchedFits}).
     */
    record StartKey(int k, long seed, InitMode mode, int sampleSize, int initIterations, String kernel) {

        static StartKey of(EmOptions options, long seed, String kernel) {
            return new StartKey(options.k(), seed, options.initMode(), options.sampleSize(),
                    options.initIterations(), kernel);
        }
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
                               FitListener listener) {
        SufficientStatistics hard = data.aggregate(
                new NearestCentrePass(centres, options.k(), options.covarianceType().needsFullScatter(), kernel));
        return MStep.update(hard, options.covarianceType(), options.regCovar(), listener::warning);
    }

    private static DataBlock sample(BlockData data, int sampleSize, RowCounts counts, long seed) {
        double fraction = Math.min(1.0, (double) sampleSize / Math.max(1, counts.rows()));
        return data.aggregate(SampledRows.uniform(data.dimension(), fraction, seed)).toSortedBlock();
    }

    /** k distinct rows in a seeded random order. */
    private static double[] randomRows(DataBlock sample, int k, Random random) {
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
