package io.mixspark.cli;

import picocli.CommandLine.Option;

/** Where a job writes, and whether it may replace what is there. */
public final class OutputOptions {

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory (any Hadoop URI).")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output (only once the job has succeeded).")
    boolean overwrite;
}
