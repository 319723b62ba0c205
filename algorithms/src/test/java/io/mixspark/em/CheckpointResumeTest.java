package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A fit killed part-way and resumed from its checkpoint ends exactly where an uninterrupted fit does. */
class CheckpointResumeTest {

    private static final InMemoryBlockData DATA = data();

    private static InMemoryBlockData data() {
        Mixture truth = RandomMixtures.draw(3, 3, CovarianceType.FULL, 2, new Random(4));
        return InMemoryBlockData.of(truth.sample(2000, new Random(5), null), null, 3, 256);
    }

    private static EmOptions options() {
        return EmOptions.builder(3, CovarianceType.FULL).nInit(3).maxIter(25).tol(0).seed(11).kernel("java").build();
    }

    /** Keeps the latest checkpoint in memory, as a file system store keeps the latest file. */
    static final class MemoryStore implements EmCheckpoint.Store {
        EmCheckpoint latest;
        int saves;

        @Override
        public void save(EmCheckpoint checkpoint) {
            latest = checkpoint;
            saves++;
        }

        @Override
        public EmCheckpoint load() {
            return latest;
        }
    }

    /** Stands for the process dying: thrown from the progress listener. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest(name = "killed in restart {0}")
    @ValueSource(ints = {0, 1, 2})
    void resumingAfterAKillGivesTheUninterruptedResult(int killedRestart) {
        EmResult uninterrupted = EmFitter.fit(DATA, options(), FitListener.NONE);
        MemoryStore store = new MemoryStore();
        FitListener killer = new FitListener() {
            @Override
            public void iteration(int restart, IterationRecord record) {
                if (restart == killedRestart && record.iteration() == 10) {
                    throw new Killed();
                }
            }
        };
        assertThrows(Killed.class,
                () -> EmFitter.fit(DATA, options(), killer, new EmCheckpoint.Policy(store, 4, false)));
        assertNotNull(store.latest);
        assertEquals(killedRestart, store.latest.restart());
        assertEquals(8, store.latest.iteration());

        EmResult resumed = EmFitter.fit(DATA, options(), FitListener.NONE, new EmCheckpoint.Policy(store, 4, true));

        assertEquals(uninterrupted.model(), resumed.model());
        assertEquals(uninterrupted.history().stream().map(IterationRecord::meanLogLikelihood).toList(),
                resumed.history().stream().map(IterationRecord::meanLogLikelihood).toList());
        assertEquals(uninterrupted.logLikelihood(), resumed.logLikelihood());
        assertEquals(uninterrupted.bestRestart(), resumed.bestRestart());
        assertArrayEquals(uninterrupted.restartLogLikelihoods(), resumed.restartLogLikelihoods());
    }

    @Test
    void aFinishedFitResumesToItsResultWithoutIterating() {
        MemoryStore store = new MemoryStore();
        EmResult done = EmFitter.fit(DATA, options(), FitListener.NONE, new EmCheckpoint.Policy(store, 5, false));
        int saves = store.saves;
        EmResult again = EmFitter.fit(DATA, options(), new FitListener() {
            @Override
            public void iteration(int restart, IterationRecord record) {
                throw new AssertionError("no iteration should run");
            }
        }, new EmCheckpoint.Policy(store, 5, true));
        assertEquals(done.model(), again.model());
        assertEquals(saves, store.saves);
    }

    @Test
    void aCheckpointOfAnotherFitIsRefused() {
        MemoryStore store = new MemoryStore();
        EmFitter.fit(DATA, options(), FitListener.NONE, new EmCheckpoint.Policy(store, 5, false));
        EmOptions other = options().toBuilder().k(4).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmFitter.fit(DATA, other, FitListener.NONE, new EmCheckpoint.Policy(store, 5, true)));
        assertTrue(e.getMessage().contains("was written by another fit: the settings differ"), e.getMessage());
    }

    /** The arithmetic shapes the trajectory: a float fit resumes only a float fit's checkpoint. */
    @Test
    void aCheckpointKeepsTheFitsPrecision() {
        EmOptions single = options().toBuilder().precision(io.mixspark.gmm.Precision.FLOAT).build();
        MemoryStore store = new MemoryStore();
        EmResult done = EmFitter.fit(DATA, single, FitListener.NONE, new EmCheckpoint.Policy(store, 5, false));
        assertEquals(done.model(), EmFitter.fit(DATA, single, FitListener.NONE,
                new EmCheckpoint.Policy(store, 5, true)).model());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmFitter.fit(DATA, options(), FitListener.NONE, new EmCheckpoint.Policy(store, 5, true)));
        assertTrue(e.getMessage().contains("was written by another fit: the settings differ"), e.getMessage());
        assertEquals(EmCheckpoint.fingerprintOf(options()) + ",precision=float", EmCheckpoint.fingerprintOf(single));
    }

    @Test
    void aCheckpointOfOtherDataIsRefusedOrSetAside() {
        MemoryStore store = new MemoryStore();
        EmFitter.fit(DATA, options(), FitListener.NONE, new EmCheckpoint.Policy(store, 5, false));
        Mixture truth = RandomMixtures.draw(3, 3, CovarianceType.FULL, 2, new Random(6));
        InMemoryBlockData sameSize = InMemoryBlockData.of(truth.sample(2000, new Random(7), null), null, 3, 256);
        EmCheckpoint.MismatchException e = assertThrows(EmCheckpoint.MismatchException.class,
                () -> EmFitter.fit(sameSize, options(), FitListener.NONE, new EmCheckpoint.Policy(store, 5, true)));
        assertTrue(e.getMessage().contains("the data's content differs"), e.getMessage());

        java.util.List<String> warnings = new java.util.ArrayList<>();
        EmResult restarted = EmFitter.fit(sameSize, options(), new FitListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        }, new EmCheckpoint.Policy(store, 5, true, java.util.List.of(), EmCheckpoint.OnMismatch.RESTART));
        assertEquals(EmFitter.fit(sameSize, options(), FitListener.NONE).model(), restarted.model());
        assertTrue(warnings.stream().anyMatch(w -> w.endsWith("; starting afresh")), warnings.toString());
    }
}
