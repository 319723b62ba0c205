package io.mixspark.em;

/** Hears a fit's progress; every method does nothing by default. */
public interface FitListener {

    FitListener NONE = new FitListener() {
    };

    /** A restart begins (0-based), from its initial mixture. */
    default void restartStarted(int restart, int of) {
    }

    /** One EM iteration evaluated a mixture. */
    default void iteration(int restart, IterationRecord record) {
    }

    /** The fit continues from a checkpoint: where it was read, and the restart and iteration it holds. */
    default void resumed(String source, int restart, int iteration) {
    }

    /**
     * Where a checkpoint stands, for messages: "restart R, iteration I" (1-based R) inside a
     * restart, or "after restart R" between restarts (iteration 0), R then being the last finished.
     */
    static String resumePoint(int restart, int iteration) {
        return iteration == 0 ? "after restart " + restart : "restart " + (restart + 1) + ", iteration " + iteration;
    }

    /** Something worth a warning in the log, such as a dropped component. */
    default void warning(String message) {
    }
}
