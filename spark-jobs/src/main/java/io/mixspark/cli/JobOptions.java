package io.mixspark.cli;

import io.mixspark.io.OutputDirectory;
import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/**
 * The options every job command ends with, in the order its help lists them: where the job
 * writes, where Spark runs, and {@code --dry-run}.
 */
public final class JobOptions {

    @Mixin
    OutputOptions output;

    @Mixin
    SparkOptions spark;

    @Mixin
    DryRunOption dryRun;

    /** The {@code --output} location as given. */
    String output() {
        return output.output;
    }

    /**
     * The session, once the file systems of {@code --output} and of {@code paths} (the command's
     * inputs; nulls skipped) are known to be on the class path.
     */
    SparkSession session(String appName, String... paths) throws IOException {
        SparkSession session = spark.session(appName);
        String[] all = Arrays.copyOf(paths, paths.length + 1);
        all[paths.length] = output.output;
        HadoopFileSystems.require(session.sparkContext().hadoopConfiguration(), all);
        return session;
    }

    /**
     * The output directory; an existing one is replaced only with --overwrite, and only on commit.
     * What it cleaned up after earlier, killed runs is printed as warnings.
     */
    OutputDirectory outputDirectory(SparkSession session, String... inputs) throws IOException {
        try {
            OutputDirectory.requireApart(output.output, session.sparkContext().hadoopConfiguration(), inputs);
        } catch (IllegalArgumentException e) {
            throw new Validation.UsageException(e.getMessage());
        }
        OutputDirectory out = new OutputDirectory(output.output, output.overwrite,
                session.sparkContext().hadoopConfiguration());
        out.notes().forEach(note -> System.out.println("warning: " + note));
        return out;
    }
}
