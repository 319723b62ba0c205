package io.mixspark.sdp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-wide totals of the PSD projections of the dense SDP solvers (time, count, how many
 * needed the full eigendecomposition and how many Cholesky certificates), so a benchmark can split
 * a solve into projection and the rest without a profiler.
 */
final class PsdClock {

    private static final AtomicLong NANOS = new AtomicLong();
    private static final AtomicLong CALLS = new AtomicLong();
    private static final AtomicLong FULL = new AtomicLong();
    private static final AtomicLong CHOLESKY = new AtomicLong();

    private PsdClock() {
    }

    static void add(long nanos, boolean full, long choleskies) {
        NANOS.addAndGet(nanos);
        CALLS.incrementAndGet();
        if (full) {
            FULL.incrementAndGet();
        }
        CHOLESKY.addAndGet(choleskies);
    }

    static long nanos() {
        return NANOS.get();
    }

    static long calls() {
        return CALLS.get();
    }

    static long full() {
        return FULL.get();
    }

    static long cholesky() {
        return CHOLESKY.get();
    }
}
