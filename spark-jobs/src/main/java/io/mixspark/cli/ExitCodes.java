package io.mixspark.cli;

import io.mixspark.gmm.KernelUnavailableException;
import io.mixspark.gmm.NumericalFailureException;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.spark.sql.AnalysisException;

/** The command line's exit codes, a contract for schedulers and scripts. */
public final class ExitCodes {

    public static final int OK = 0;
    /** A bug or an unexpected failure; the message and log say more. */
    public static final int INTERNAL = 1;
    /**
     * Unknown options, missing or out-of-range parameters, or a {@code --kernel} that the driver or
     * an executor cannot run.
     */
    public static final int USAGE = 2;
    /** The input data cannot be used: bad values, wrong columns, too few rows. */
    public static final int INPUT_DATA = 3;
    /** The fit failed numerically, for example a covariance that stays singular. */
    public static final int NUMERICAL = 4;
    /** Reading or writing files failed, or the output exists already. */
    public static final int IO = 5;
    /**
     * The outputs were written but the result is partial: some grid candidates or sites could not
     * be fitted and are listed in the output (exit 0 instead with {@code --allow-partial}).
     */
    public static final int PARTIAL = 6;

    private ExitCodes() {
    }

    /** The exit code for a failure, from the first cause that tells. */
    public static int of(Throwable failure) {
        if (HadoopFileSystems.missingScheme(failure) != null) {
            return IO;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NumericalFailureException) {
                return NUMERICAL;
            }
            if (t instanceof KernelUnavailableException) {
                return USAGE;
            }
            if (t instanceof AnalysisException a && isMissingPath(a)) {
                return IO;
            }
            if (t instanceof FileNotFoundException || t instanceof IOException) {
                return IO;
            }
            if (t instanceof IllegalArgumentException || t instanceof AnalysisException) {
                return INPUT_DATA;
            }
        }
        return INTERNAL;
    }

    /** The most specific message in a failure's cause chain. */
    public static String message(Throwable failure) {
        String scheme = HadoopFileSystems.missingScheme(failure);
        if (scheme != null) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof HadoopFileSystems.MissingConnectorException) {
                    return t.getMessage();
                }
            }
            return HadoopFileSystems.MissingConnectorException.message(scheme, null);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NumericalFailureException || t instanceof KernelUnavailableException
                    || t instanceof IllegalArgumentException
                    || t instanceof IOException || t instanceof AnalysisException) {
                return t.getMessage();
            }
        }
        return String.valueOf(failure);
    }

    private static boolean isMissingPath(AnalysisException e) {
        String condition = e.getCondition();
        return condition != null && condition.contains("PATH_NOT_FOUND");
    }
}
