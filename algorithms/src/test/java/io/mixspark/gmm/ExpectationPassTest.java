package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.BlockAggregator;
import io.mixspark.data.BlockData;
import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The E-step pass over rows known to be complete: it searches no block for missing values, which
 * costs a read of every value in every iteration, and gives the same statistics to the bit.
 */
class ExpectationPassTest {

    private static final int D = 5;

    @Test
    void overRowsKnownCompleteTheStatisticsAreTheSameToTheBit() {
        Mixture model = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(1));
        DataBlock block = DataBlock.of(model.sample(300, new Random(2), null), D);
        SufficientStatistics searched = new ExpectationPass(model, "java").add(SufficientStatistics.empty(), block);
        SufficientStatistics known = ExpectationPass.overCompleteRows(model, "java")
                .add(SufficientStatistics.empty(), block);
        assertEquals(searched.logLikelihood(), known.logLikelihood());
        assertArrayEquals(searched.sumsView(), known.sumsView());
        assertArrayEquals(searched.scattersView(), known.scattersView());
    }

    @Test
    void aFitOfCompleteDataSearchesNoBlockForMissingValuesAndAFitWithHolesSearchesEvery() {
        Mixture truth = RandomMixtures.draw(2, D, CovarianceType.FULL, 4, new Random(3));
        double[] x = truth.sample(400, new Random(4), null);
        EmOptions options = EmOptions.builder(2, CovarianceType.FULL).maxIter(5).tol(0).seed(5).kernel("java").build();

        Recording complete = new Recording(x);
        EmFitter.fit(complete, options, FitListener.NONE);
        assertFalse(complete.passes.isEmpty());
        assertTrue(complete.passes.stream().noneMatch(ExpectationPass::searchesForMissing),
                "E-step passes over complete rows searched them for missing values");

        x[7] = Double.NaN;
        Recording holes = new Recording(x);
        EmFitter.fit(holes, options, FitListener.NONE);
        assertFalse(holes.passes.isEmpty());
        assertTrue(holes.passes.stream().allMatch(ExpectationPass::searchesForMissing));
    }

    @Test
    void copiesOfOnePassDeserialisedInOneJvmShareOneModelAndOtherModelsStayApart() throws Exception {
        Mixture model = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(6));
        byte[] pass = serialised(new ExpectationPass(model, "java"));
        ExpectationPass first = deserialised(pass);
        ExpectationPass second = deserialised(pass);
        assertNotSame(model, first.model());
        assertSame(first.model(), second.model(), "each copy of the pass has a model of its own, which a kernel"
                + " shared by the fold's threads packs again whenever the other thread ran last");
        assertEquals(first.searchesForMissing(), second.searchesForMissing());

        Mixture other = RandomMixtures.draw(3, D, CovarianceType.FULL, 3, new Random(7));
        ExpectationPass third = deserialised(serialised(ExpectationPass.overCompleteRows(other, "java")));
        assertEquals(other, third.model());
        assertNotSame(first.model(), third.model());
        assertFalse(third.searchesForMissing());
    }

    private static byte[] serialised(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static ExpectationPass deserialised(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (ExpectationPass) in.readObject();
        }
    }

    /** Blocks in memory that keep every E-step pass run over them. */
    private static final class Recording implements BlockData {
        final List<ExpectationPass> passes = new ArrayList<>();
        private final InMemoryBlockData data;

        Recording(double[] x) {
            List<DataBlock> blocks = new ArrayList<>();
            for (int from = 0; from < x.length; from += 100 * D) {
                blocks.add(DataBlock.of(java.util.Arrays.copyOfRange(x, from, Math.min(x.length, from + 100 * D)), D));
            }
            this.data = new InMemoryBlockData(blocks, D);
        }

        @Override
        public int dimension() {
            return D;
        }

        @Override
        public <A> A aggregate(BlockAggregator<A> aggregator) {
            if (aggregator instanceof ExpectationPass pass) {
                passes.add(pass);
            }
            return data.aggregate(aggregator);
        }
    }
}
