package io.mixspark.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run}: check the options, then stop before Spark starts. */
public final class DryRunOption {

    @Option(names = "--dry-run", description = "Check the options and exit without running Spark.")
    boolean dryRun;

    /** True on --dry-run, after saying that {@code command}'s options passed their checks. */
    boolean stopsHere(String command) {
        if (dryRun) {
            System.out.println(command + ": options are valid");
        }
        return dryRun;
    }
}
