package io.mixspark.cli;

import io.mixspark.spark.LocalFoldSetting;
import io.mixspark.spark.ResidentPassSetting;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where the job runs: embedded local Spark by default, or the master spark-submit gives. */
public final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit sets, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration, repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    /**
     * The session: an active one (tests, notebooks), or a new one with these settings. A given
     * {@code --master} is checked first (see {@link MasterUrl}), even when a session is active.
     */
    SparkSession session(String appName) {
        if (conf.containsKey(LocalFoldSetting.KEY)) {
            Validation.usage(() -> LocalFoldSetting.parse(conf.get(LocalFoldSetting.KEY)));
        }
        if (conf.containsKey(ResidentPassSetting.KEY)) {
            Validation.usage(() -> ResidentPassSetting.parse(conf.get(ResidentPassSetting.KEY)));
        }
        for (String key : new String[] {ResidentPassSetting.CONNECT_TIMEOUT_KEY, ResidentPassSetting.IDLE_TIMEOUT_KEY}) {
            if (conf.containsKey(key)) {
                Validation.usage(() -> ResidentPassSetting.parseMillis(key, conf.get(key)));
            }
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (master != null) {
            MasterUrl.check(master);
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }
}
