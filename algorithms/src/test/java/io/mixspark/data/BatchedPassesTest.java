package io.mixspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Computations whose passes share rounds: each gets what it would alone, in as many rounds as the longest needs. */
class BatchedPassesTest {

    private static final InMemoryBlockData DATA = InMemoryBlockData.of(new double[] {1, 2, 3, 4, 5, 6, 7}, null, 1, 3);

    /** Counts the passes made over the data. */
    private static final class Counting implements BlockData {
        int passes;

        @Override
        public int dimension() {
            return DATA.dimension();
        }

        @Override
        public <A> A aggregate(BlockAggregator<A> aggregator) {
            passes++;
            return DATA.aggregate(aggregator);
        }
    }

    /** Sums (value + shift) over all rows; serializable like every pass. */
    private record ShiftedSum(double shift, long bytes) implements BlockAggregator<double[]> {
        @Override
        public double[] zero() {
            return new double[1];
        }

        @Override
        public double[] add(double[] acc, DataBlock block) {
            for (int i = 0; i < block.rows(); i++) {
                acc[0] += block.values()[i] + shift;
            }
            return acc;
        }

        @Override
        public double[] merge(double[] left, double[] right) {
            left[0] += right[0];
            return left;
        }

        @Override
        public long accumulatorBytes() {
            return bytes;
        }
    }

    /** Makes {@code passes} passes, each shifted by the previous result, and returns the last. */
    private static Function<BlockData, Double> chain(int passes, long bytes) {
        return data -> {
            double shift = 0;
            for (int p = 0; p < passes; p++) {
                shift = data.aggregate(new ShiftedSum(shift / 100, bytes))[0];
            }
            return shift;
        };
    }

    @Test
    void eachComputationGetsItsOwnResultInAsManyRoundsAsTheLongestNeeds() {
        List<Function<BlockData, Double>> computations = new ArrayList<>();
        for (int passes : new int[] {3, 0, 7, 1, 5}) {
            computations.add(chain(passes, 8));
        }
        Counting counting = new Counting();

        BatchedPasses.Run<Double> run = BatchedPasses.run(counting, computations, 1024);

        assertEquals(7, run.rounds());
        assertEquals(7, run.passes());
        assertEquals(7, counting.passes, "one pass over the data per round");
        for (int i = 0; i < computations.size(); i++) {
            assertTrue(run.outcomes().get(i).succeeded());
            assertEquals(computations.get(i).apply(DATA), run.outcomes().get(i).value(), 0.0, "computation " + i);
        }
    }

    @Test
    void aRoundOverTheBudgetRunsInSeveralPassesWithTheSameResults() {
        List<Function<BlockData, Double>> computations = List.of(chain(2, 600), chain(2, 600), chain(2, 600),
                chain(1, 5000));
        Counting counting = new Counting();

        BatchedPasses.Run<Double> run = BatchedPasses.run(counting, computations, 1300);

        assertEquals(2, run.rounds());
        // Round 1: {600, 600}, {600}, {5000} alone over budget; round 2: {600, 600}, {600}.
        assertEquals(5, run.passes());
        assertEquals(5, counting.passes);
        for (int i = 0; i < computations.size(); i++) {
            assertEquals(computations.get(i).apply(DATA), run.outcomes().get(i).value(), 0.0, "computation " + i);
        }
    }

    @Test
    void aFailingComputationStopsAloneWithItsException() {
        IllegalStateException boom = new IllegalStateException("boom");
        Function<BlockData, Double> failing = data -> {
            data.aggregate(new ShiftedSum(0, 8));
            throw boom;
        };
        BatchedPasses.Run<Double> run = BatchedPasses.run(DATA, List.of(chain(4, 8), failing, chain(2, 8)), 1024);

        assertFalse(run.outcomes().get(1).succeeded());
        assertSame(boom, run.outcomes().get(1).failure());
        assertEquals(chain(4, 8).apply(DATA), run.outcomes().get(0).value(), 0.0);
        assertEquals(chain(2, 8).apply(DATA), run.outcomes().get(2).value(), 0.0);
        assertEquals(4, run.rounds());
    }

    @Test
    void aPassThatFailsOnTheDataFailsTheComputationsThatAskedForIt() {
        BlockData broken = new BlockData() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public <A> A aggregate(BlockAggregator<A> aggregator) {
                throw new IllegalArgumentException("unreadable block");
            }
        };
        BatchedPasses.Run<Double> run = BatchedPasses.run(broken, List.of(chain(1, 8), chain(0, 8)), 1024);

        assertInstanceOf(IllegalArgumentException.class, run.outcomes().get(0).failure());
        assertEquals(0.0, run.outcomes().get(1).value(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> BatchedPasses.run(DATA, List.of(chain(1, 8)), 0));
    }

    @Test
    void aCompositePassFoldsAndMergesEachPassOnItsOwn() {
        CompositePass both = new CompositePass(List.of(new ShiftedSum(0, 8), new ShiftedSum(1, 16)));
        Object[] whole = DATA.aggregate(both);
        Object[] left = both.add(both.zero(), DATA.blocks().get(0));
        Object[] right = both.zero();
        for (DataBlock block : DATA.blocks().subList(1, DATA.blocks().size())) {
            right = both.add(right, block);
        }
        Object[] merged = both.merge(left, right);

        assertEquals(28.0, ((double[]) whole[0])[0], 0.0);
        assertEquals(35.0, ((double[]) whole[1])[0], 0.0);
        assertEquals(28.0, ((double[]) merged[0])[0], 0.0);
        assertEquals(35.0, ((double[]) merged[1])[0], 0.0);
        assertEquals(24, both.accumulatorBytes());
        assertThrows(IllegalArgumentException.class, () -> new CompositePass(List.of()));
    }
}
