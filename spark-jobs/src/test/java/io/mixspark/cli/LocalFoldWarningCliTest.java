package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks that must stay in Spark's cache say so in a warning: line, in select as in fit. */
class LocalFoldWarningCliTest {

    @Test
    void selectWarnsWhenTheBlocksExceedTheDriversResultLimit(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 101_000; i++) {
            csv.append(String.format(Locale.ROOT, "%.6f,%.6f%n", random.nextGaussian() + (i % 2) * 5,
                    random.nextGaussian()));
        }
        Path input = Files.writeString(dir.resolve("rows.csv"), csv);
        // The context's own conf, which the scheduler reads for each job: a limit above every task
        // result of the fits (over 100,000 rows the start is k-means||, which collects no sample)
        // and below the cached blocks (1.6 MB of values).
        SparkConf conf = SharedSpark.session().sparkContext().conf();
        String before = conf.get("spark.driver.maxResultSize", null);
        conf.set("spark.driver.maxResultSize", "1m");
        CapturedRun run;
        try {
            run = CapturedRun.of("select", "--input", input.toString(), "--k", "2", "--covariance", "diag",
                    "--max-iter", "3", "--output", dir.resolve("out").toString());
        } finally {
            if (before == null) {
                conf.remove("spark.driver.maxResultSize");
            } else {
                conf.set("spark.driver.maxResultSize", before);
            }
        }
        assertEquals(ExitCodes.OK, run.code(), run.text());
        List<String> warnings = run.text().lines().filter(line -> line.startsWith("warning:")).toList();
        assertEquals(1, warnings.size(), run.text());
        assertTrue(warnings.get(0).contains("more than spark.driver.maxResultSize"), warnings.get(0));
    }
}
