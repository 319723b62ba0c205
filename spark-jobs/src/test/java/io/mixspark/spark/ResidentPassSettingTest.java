package io.mixspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The switch of resident passes, and the Spark settings under which they stay off. */
class ResidentPassSettingTest {

    @Test
    void parsesAutoAndFalseAndNamesTheKeyOtherwise() {
        assertEquals(ResidentPassSetting.AUTO, ResidentPassSetting.parse(" Auto "));
        assertEquals(ResidentPassSetting.OFF, ResidentPassSetting.parse("FALSE"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResidentPassSetting.parse("maybe"));
        assertEquals("spark.mixspark.residentPasses must be auto or false, got 'maybe'", e.getMessage());
    }

    @Test
    void timeoutsAreNonNegativeDurationsAndNameTheKeyOtherwise() {
        assertEquals(300, ResidentPassSetting.parseMillis(ResidentPassSetting.IDLE_TIMEOUT_KEY, "300ms"));
        assertEquals(0, ResidentPassSetting.parseMillis(ResidentPassSetting.IDLE_TIMEOUT_KEY, "0s"));
        assertEquals(5000, ResidentPassSetting.parseMillis(ResidentPassSetting.CONNECT_TIMEOUT_KEY, "5s"));
        for (String bad : new String[] {"-1s", "soon", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ResidentPassSetting.parseMillis(ResidentPassSetting.CONNECT_TIMEOUT_KEY, bad));
            assertEquals(ResidentPassSetting.CONNECT_TIMEOUT_KEY + " must be a duration >= 0 such as 5s or 300ms, got '"
                    + bad + "'", e.getMessage());
        }
    }

    @Test
    void encryptedSparkTrafficKeepsThemOffButAuthenticationAloneDoesNot() {
        assertNull(ResidentPassSetting.protectedTraffic(new SparkConf(false)));
        assertNull(ResidentPassSetting.protectedTraffic(new SparkConf(false).set("spark.authenticate", "true")));
        for (String key : new String[] {"spark.network.crypto.enabled", "spark.ssl.enabled", "spark.ssl.rpc.enabled",
                "spark.authenticate.enableSaslEncryption"}) {
            String why = ResidentPassSetting.protectedTraffic(new SparkConf(false).set(key, "true"));
            assertTrue(why != null && why.contains(key), key + ": " + why);
        }
    }

    @Test
    void executorCoresComeFromTheConfOrTheLocalClusterMaster() {
        assertEquals(4, ResidentPasses.executorCores(new SparkConf(false).set("spark.executor.cores", "4"),
                "spark://host:7077"));
        assertEquals(3, ResidentPasses.executorCores(new SparkConf(false), "local-cluster[2, 3, 1024]"));
        assertEquals(1, ResidentPasses.executorCores(new SparkConf(false), "yarn"));
    }
}
