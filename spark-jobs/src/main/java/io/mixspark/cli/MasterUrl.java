package io.mixspark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.spark.SparkMasterRegex;
import org.apache.spark.scheduler.ExternalClusterManager;

/**
 * A {@code --master} URL checked before Spark starts. SparkContext reports a URL it cannot parse
 * with an internal error, and keeps trying an unreachable standalone master for a minute (three
 * registration attempts 20 s apart, fixed in Spark) before failing with a message about a stopped
 * context; here both fail at once with a message that says what is wrong.
 */
final class MasterUrl {

    /** How long to wait for each standalone master address to accept a connection. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private MasterUrl() {
    }

    /**
     * Accepts the URLs SparkContext accepts: {@code local}, {@code local[N]}, {@code local[N,F]},
     * {@code local-cluster[N,C,M]}, {@code spark://HOST:PORT[,HOST:PORT...]} of which one address
     * accepts a connection, and whatever a cluster manager on the class path takes (YARN, Kubernetes).
     *
     * @throws Validation.UsageException for a URL Spark cannot parse
     * @throws UncheckedIOException      if no standalone master address accepts a connection
     */
    static void check(String master) {
        String url = master.trim();
        if (url.equals("local") || matches(SparkMasterRegex.LOCAL_N_REGEX(), url)
                || matches(SparkMasterRegex.LOCAL_N_FAILURES_REGEX(), url)
                || matches(SparkMasterRegex.LOCAL_CLUSTER_REGEX(), url)) {
            return;
        }
        if (url.startsWith("spark://")) {
            requireReachable(url, standaloneAddresses(url));
            return;
        }
        for (ExternalClusterManager manager : ServiceLoader.load(ExternalClusterManager.class, classLoader())) {
            if (manager.canCreate(url)) {
                return;
            }
        }
        throw new Validation.UsageException("--master '" + master + "' is not a master URL Spark knows: use local[N],"
                + " spark://HOST:PORT, or yarn or k8s://... with Spark's YARN or Kubernetes module on the class path");
    }

    private static boolean matches(scala.util.matching.Regex regex, String url) {
        return regex.pattern().matcher(url).matches();
    }

    /** The host and port of each master of {@code spark://h1:p1,h2:p2} (a standby list). */
    static List<InetSocketAddress> standaloneAddresses(String url) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : url.substring("spark://".length()).split(",")) {
            URI uri;
            try {
                uri = new URI("spark://" + part.trim());
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || uri.getPort() < 0
                    || !(uri.getPath() == null || uri.getPath().isEmpty())) {
                throw new Validation.UsageException("--master '" + url + "' is not a standalone master URL: use"
                        + " spark://HOST:PORT, or several as spark://HOST1:PORT1,HOST2:PORT2");
            }
            out.add(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
        }
        return out;
    }

    /** Returns once one address accepts a TCP connection; fails after trying each for the timeout. */
    private static void requireReachable(String url, List<InetSocketAddress> addresses) {
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()),
                        CONNECT_TIMEOUT_SECONDS * 1000);
                return;
            } catch (UnknownHostException e) {
                failures.add(address.getHostString() + ": unknown host");
            } catch (IOException e) {
                failures.add(address.getHostString() + ":" + address.getPort() + ": " + e.getMessage());
            }
        }
        throw new UncheckedIOException(new ConnectException("could not reach the Spark master at " + url + " ("
                + String.join("; ", failures) + ", waited at most " + CONNECT_TIMEOUT_SECONDS + " s per address);"
                + " check --master, that the master runs, and that this machine can reach it"));
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MasterUrl.class.getClassLoader();
    }
}
