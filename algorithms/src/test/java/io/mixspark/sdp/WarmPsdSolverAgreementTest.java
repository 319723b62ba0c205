package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.DataBlock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The solvers give the same answers with {@link WarmPsdProjection}'s block method as with the full
 * eigendecomposition at every iteration, on sizes where the block method is used.
 */
class WarmPsdSolverAgreementTest {

    private static final IsotropicMixture DATA = IsotropicMixture.draw(120, 5, 3, 1.2, 17);
    private static final DataBlock POINTS = DataBlock.of(DATA.x(), DATA.p());

    @Test
    void kmeansSdpMatchesTheFullProjection() {
        SdpOptions options = SdpOptions.DEFAULTS.withTolerance(1e-6).withMaxIterations(3000);
        Run<SdpResult> full = run(true, () -> KMeansSdp.fit(POINTS, 3, options));
        Run<SdpResult> warm = run(false, () -> KMeansSdp.fit(POINTS, 3, options));
        assertTrue(warm.blockProjections() > warm.calls() / 2, warm.blockProjections() + " of " + warm.calls()
                + " projections by the block method");
        assertEquals(0, full.blockProjections());
        assertArrayEquals(full.result().labels(), warm.result().labels());
        assertEquals(full.result().iterations(), warm.result().iterations());
        assertEquals(full.result().objective(), warm.result().objective(), 1e-9 * Math.abs(full.result().objective()));
        assertArrayEquals(full.result().z(), warm.result().z(), 1e-9);
    }

    @Test
    void ilaSdpRoundsMatchTheFullProjection() {
        int[] start = KMeansSdp.fit(POINTS, 3, SdpOptions.DEFAULTS).labels();
        IlaSdpOptions options = IlaSdpOptions.DEFAULTS.withMaxRounds(2)
                .withSolver(IlaSdpOptions.DEFAULTS.solver().withMaxIterations(400));
        Run<IlaSdpResult> full = run(true, () -> IlaSdp.fitFrom(POINTS, 3, start, options));
        Run<IlaSdpResult> warm = run(false, () -> IlaSdp.fitFrom(POINTS, 3, start, options));
        assertTrue(warm.blockProjections() > 0, "the block method was never used");
        assertArrayEquals(full.result().labels(), warm.result().labels());
        assertEquals(full.result().objective(), warm.result().objective(), 1e-9 * Math.abs(full.result().objective()));
        assertEquals(full.result().rounds().size(), warm.result().rounds().size());
        for (int r = 0; r < full.result().rounds().size(); r++) {
            IlaRound a = full.result().rounds().get(r);
            IlaRound b = warm.result().rounds().get(r);
            assertEquals(a.iterations(), b.iterations(), "round " + r);
            assertEquals(a.relaxationValue(), b.relaxationValue(), 1e-9 * Math.abs(a.relaxationValue()), "round " + r);
        }
    }

    private record Run<T>(T result, long calls, long blockProjections) {
    }

    private static <T> Run<T> run(boolean fullOnly, Supplier<T> solve) {
        boolean before = WarmPsdProjection.fullOnly;
        WarmPsdProjection.fullOnly = fullOnly;
        try {
            long calls = PsdClock.calls();
            long full = PsdClock.full();
            T result = solve.get();
            long callsNow = PsdClock.calls() - calls;
            return new Run<>(result, callsNow, callsNow - (PsdClock.full() - full));
        } finally {
            WarmPsdProjection.fullOnly = before;
        }
    }
}
