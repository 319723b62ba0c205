package io.mixspark.cli;

import picocli.CommandLine.Option;

/**
 * {@code --allow-partial}: whether a result that lacks some of what was asked (grid candidates or
 * sites that could not be fitted) is a success. Either way the outputs are written and list what is
 * missing; without the option such a run exits with {@link ExitCodes#PARTIAL}.
 */
public final class PartialResultOption {

    @Option(names = "--allow-partial",
            description = "Accept a partial result (what could not be fitted is listed in the output): exit 0 with "
                    + "a warning instead of 6.")
    boolean allowPartial;

    /**
     * The exit code of a job whose outputs are written.
     *
     * @param partial what the result lacks, or null when it is complete
     * @return {@link ExitCodes#OK}; for a partial result {@link ExitCodes#PARTIAL} after an
     *     {@code error:} line, or with --allow-partial OK after a {@code warning:} line
     */
    int exitCode(String partial) {
        if (partial == null) {
            return ExitCodes.OK;
        }
        if (allowPartial) {
            System.out.println("warning: partial result: " + partial);
            return ExitCodes.OK;
        }
        System.err.println("error: partial result: " + partial + "; the outputs were written; pass --allow-partial "
                + "to accept a partial result");
        return ExitCodes.PARTIAL;
    }
}
