package io.mixspark.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * Whether passes over cached blocks may be served by resident tasks on masters with executor JVMs
 * ({@link ResidentPasses}): Spark conf {@value #KEY}, {@code auto} (the default) or {@code false},
 * with the timeouts {@value #CONNECT_TIMEOUT_KEY} and {@value #IDLE_TIMEOUT_KEY}.
 */
public enum ResidentPassSetting {

    AUTO("auto"),
    OFF("false");

    /** The Spark conf key, read from the active session's conf (runtime settings included), else the context's. */
    public static final String KEY = "spark.mixspark.residentPasses";
    /** How long every resident task has to connect to the driver before the pass runs as a Spark job. */
    public static final String CONNECT_TIMEOUT_KEY = KEY + ".connectTimeout";
    /** How long resident tasks wait for the next pass before they finish and free their task slots. */
    public static final String IDLE_TIMEOUT_KEY = KEY + ".idleTimeout";

    static final String DEFAULT_CONNECT_TIMEOUT = "5s";
    static final String DEFAULT_IDLE_TIMEOUT = "500ms";

    private final String id;

    ResidentPassSetting(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses auto or false (any case); throws IllegalArgumentException naming the key and both values otherwise. */
    public static ResidentPassSetting parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (ResidentPassSetting s : values()) {
            if (s.id.equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException(KEY + " must be auto or false, got '" + value + "'");
    }

    /** The setting in force for this context: the active session's conf first, then the context's. */
    public static ResidentPassSetting of(SparkContext context) {
        return parse(LocalFoldSetting.conf(context, KEY, AUTO.id));
    }

    /** A duration conf of this feature in milliseconds ("5s", "300ms"), as the session or context sets it. */
    static long millis(SparkContext context, String key, String fallback) {
        return parseMillis(key, LocalFoldSetting.conf(context, key, fallback));
    }

    /**
     * Parses a duration of this feature ("5s", "300ms") into milliseconds; throws
     * IllegalArgumentException naming the key and the value when it is malformed or negative.
     */
    public static long parseMillis(String key, String value) {
        long millis;
        try {
            millis = org.apache.spark.network.util.JavaUtils.timeStringAsMs(value);
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0) {
            throw new IllegalArgumentException(key + " must be a duration >= 0 such as 5s or 300ms, got '"
                    + value + "'");
        }
        return millis;
    }

    /**
     * Why Spark's own traffic is protected in a way the passes' plain HTTP would not match (RPC
     * encryption, SSL), or null. Spark's shared-secret authentication alone is matched: the passes
     * carry a secret of their own that reaches the tasks only inside Spark's task binaries.
     */
    static String protectedTraffic(SparkConf conf) {
        for (String key : new String[] {"spark.network.crypto.enabled", "spark.ssl.enabled", "spark.ssl.rpc.enabled",
                "spark.authenticate.enableSaslEncryption"}) {
            if (conf.getBoolean(key, false)) {
                return key + " is set";
            }
        }
        return null;
    }
}
