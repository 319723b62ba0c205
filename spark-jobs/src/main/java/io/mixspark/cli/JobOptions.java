package io.mixspark.cli;

import io.mixspark.io.OutputDirectory;
import java.io.IOException;
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

    SparkSession session(String appName) {
        return spark.session(appName);
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
