package io.mixspark.init;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.RowHash;
import io.mixspark.data.SampledRows;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.NearestCentrePass;
import io.mixspark.gmm.SufficientStatistics;
import java.util.Random;

/**
 * k-means|| (Bahmani, Moseley, Vattani, Kumar and Vassilvitskii, 2012): a few distributed passes
 * that oversample candidate centres in proportion to their squared distance from the current
 * candidates, then weighted k-means++ and Lloyd on the candidates, on the driver. Every random
 * choice is drawn from row hashes, so the result does not depend on partitioning.
 */
public final class KMeansParallel {

    private static final int EXTRA_ROUNDS = 5;

    private KMeansParallel() {
    }

    /**
     * @param rounds       sampling rounds (Spark MLlib's default is 2)
     * @param oversampling expected candidates per round, as a multiple of k
     * @return row-major k x d centres
     */
    public static double[] centres(BlockData data, int k, int rounds, double oversampling, long seed,
                                   String kernelName) {
        int d = data.dimension();
        SampledRows first = data.aggregate(new MinimumKeyRow(d, seed));
        if (first.rows() == 0) {
            throw new IllegalArgumentException("no rows with positive weight to initialise from");
        }
        SampledRows candidates = first;
        // Rounds beyond the asked-for ones, with more oversampling, run only while fewer than k
        // candidates were found (heavily duplicated data); they stop when the cost reaches zero.
        for (int round = 1; round <= rounds + EXTRA_ROUNDS && (round <= rounds || candidates.rows() < k); round++) {
            DataBlock current = candidates.toSortedBlock();
            double cost = -data.aggregate(new NearestCentrePass(current.values(), current.rows(), false, kernelName))
                    .logLikelihood();
            if (!(cost > 0)) {
                break;
            }
            double boost = round <= rounds ? 1 : Math.pow(4, round - rounds);
            double scale = boost * oversampling * k / cost;
            candidates = candidates.merge(data.aggregate(
                    new DistanceSampler(current.values(), current.rows(), d, scale, seed + round, kernelName)));
        }
        DataBlock pool = candidates.toSortedBlock();
        SufficientStatistics owned = data.aggregate(new NearestCentrePass(pool.values(), pool.rows(), false, kernelName));
        double[] weights = new double[pool.rows()];
        for (int c = 0; c < pool.rows(); c++) {
            weights[c] = owned.count(c);
        }
        DataBlock weighted = new DataBlock(pool.values(), weights, pool.rows(), d);
        return KMeansPlusPlus.cluster(weighted, k, new Random(seed));
    }

    /** The row with the smallest hash key: a uniform pick that ignores partitioning. */
    private record MinimumKeyRow(int d, long seed) implements BlockAggregator<SampledRows> {
        @Override
        public SampledRows zero() {
            return new SampledRows(d);
        }

        @Override
        public SampledRows add(SampledRows acc, DataBlock block) {
            int best = -1;
            long bestKey = 0;
            for (int i = 0; i < block.rows(); i++) {
                long key = RowHash.bits(block.values(), i * d, d, seed);
                if (block.weight(i) > 0 && (best < 0 || key < bestKey)) {
                    best = i;
                    bestKey = key;
                }
            }
            if (best < 0) {
                return acc;
            }
            SampledRows one = new SampledRows(d);
            one.add(block.values(), best * d, block.weight(best), bestKey);
            return merge(acc, one);
        }

        @Override
        public SampledRows merge(SampledRows left, SampledRows right) {
            if (left.rows() == 0) {
                return right;
            }
            if (right.rows() == 0) {
                return left;
            }
            return right.key(0) < left.key(0) ? right : left;
        }
    }

    /** Keeps each row with probability min(1, scale * weight * distance^2 to the candidates). */
    private record DistanceSampler(double[] centres, int k, int d, double scale, long seed, String kernelName)
            implements BlockAggregator<SampledRows> {
        @Override
        public SampledRows zero() {
            return new SampledRows(d);
        }

        @Override
        public String kernelUsed() {
            return Kernels.namedOrFail(kernelName).name();
        }

        @Override
        public SampledRows add(SampledRows acc, DataBlock block) {
            int[] labels = new int[block.rows()];
            double[] distances = new double[block.rows()];
            Kernels.namedOrFail(kernelName).nearestCentres(block, centres, k, labels, distances);
            RowHash.Occurrences draws = new RowHash.Occurrences(seed);
            for (int i = 0; i < block.rows(); i++) {
                long key = draws.bits(block.values(), i * d, d);
                double u = RowHash.toUnit(key);
                if (u < scale * block.weight(i) * distances[i]) {
                    acc.add(block.values(), i * d, block.weight(i), key);
                }
            }
            return acc;
        }

        @Override
        public SampledRows merge(SampledRows left, SampledRows right) {
            return left.merge(right);
        }
    }
}
