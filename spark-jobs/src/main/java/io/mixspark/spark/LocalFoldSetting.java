package io.mixspark.spark;

import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Whether passes over cached blocks may run in the driver's own threads in local mode
 * ({@link LocalBlockFold}): Spark conf {@value #KEY}, {@code auto} (the default: on when the master
 * is {@code local}, {@code local[N]} or {@code local[*]}) or {@code false}.
 */
public enum LocalFoldSetting {

    AUTO("auto"),
    OFF("false");

    /** The Spark conf key, read from the active session's conf (runtime settings included), else the context's. */
    public static final String KEY = "spark.mixspark.localFold";

    private final String id;

    LocalFoldSetting(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses auto or false (any case); throws IllegalArgumentException naming the key and both values otherwise. */
    public static LocalFoldSetting parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (LocalFoldSetting s : values()) {
            if (s.id.equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException(KEY + " must be auto or false, got '" + value + "'");
    }

    /** The setting in force for this context: the active session's conf first, then the context's. */
    public static LocalFoldSetting of(SparkContext context) {
        return parse(conf(context, KEY, AUTO.id));
    }

    /** A conf value as a notebook sets it: the active session's conf first, then the context's, else the default. */
    static String conf(SparkContext context, String key, String fallback) {
        Option<SparkSession> session = SparkSession.getActiveSession();
        if (session.isEmpty()) {
            session = SparkSession.getDefaultSession();
        }
        String value = null;
        if (session.isDefined() && session.get().sparkContext() == context) {
            value = session.get().conf().get(key, null);
        }
        return value != null ? value : context.getConf().get(key, fallback);
    }

    /**
     * Task slots of a local master ({@code local} 1, {@code local[N]} and {@code local[N,F]} N,
     * {@code local[*]} the JVM's processors), or 0 for any other master.
     */
    public static int localCores(String master) {
        if (master.equals("local")) {
            return 1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[([0-9]+|\\*)(\\s*,\\s*[0-9]+)?]")
                .matcher(master);
        if (!m.matches()) {
            return 0;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }
}
