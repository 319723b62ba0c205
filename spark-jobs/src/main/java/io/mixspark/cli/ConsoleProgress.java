package io.mixspark.cli;

import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import java.io.PrintStream;
import java.util.Locale;

/** Prints EM progress on the terminal, one line per iteration, with an estimate of time left. */
final class ConsoleProgress implements FitListener {

    private final PrintStream out;
    private final int maxIter;
    private double seconds;

    ConsoleProgress(PrintStream out, int maxIter) {
        this.out = out;
        this.maxIter = maxIter;
    }

    @Override
    public void restartStarted(int restart, int of) {
        seconds = 0;
        if (of > 1) {
            out.printf(Locale.ROOT, "restart %d of %d%n", restart + 1, of);
        }
    }

    @Override
    public void iteration(int restart, IterationRecord r) {
        seconds += r.seconds();
        double left = seconds / r.iteration() * (maxIter - r.iteration());
        out.printf(Locale.ROOT, "iteration %4d  mean log-likelihood %.10g  change %10.3e  %.3f s  (at most %.0f s left)%n",
                r.iteration(), r.meanLogLikelihood(), r.change(), r.seconds(), left);
    }

    @Override
    public void resumed(String source, int restart, int iteration) {
        out.println("resuming from checkpoint " + source + " (" + FitListener.resumePoint(restart, iteration) + ")");
    }

    @Override
    public void warning(String message) {
        out.println("warning: " + message);
    }
}
