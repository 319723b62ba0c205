package io.mixspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The time-to-quality measurement runs at a small size and reports both times (no timing is asserted). */
class TimeToQualityTest {

    @Test
    void bothFitsReachBatchEmsFinalValueAndTheirTimesAreReported() {
        TimeToQuality tool = new TimeToQuality();
        new CommandLine(tool).parseArgs("--n", "20000", "--d", "2", "--k", "3", "--partitions", "4",
                "--block-size", "500", "--batch-rows", "2000", "--passes", "3", "--kernel", "java");
        TimeToQuality.Result r = tool.measure(SharedSpark.session());
        assertEquals(20_000, r.rows());
        assertEquals(3, r.passLogLikelihoods().size());
        assertEquals(3, r.passSeconds().size());
        assertTrue(r.batchTimeToQuality() >= 0 && r.batchTimeToQuality() <= r.batchSeconds(), r.toString());
        assertTrue(r.miniTimeToQuality() > 0 && r.miniTimeToQuality() <= r.miniSeconds(), r.toString());
        assertTrue(r.miniFinal() >= r.batchFinal() - 0.01, r.toString());
    }
}
