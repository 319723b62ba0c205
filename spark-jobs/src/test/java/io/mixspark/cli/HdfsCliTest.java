package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.io.ModelJson;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on HDFS: an in-process {@code MiniDFSCluster} (one NameNode, one DataNode)
 * holds the input and receives the output through {@code hdfs://} URIs.
 */
class HdfsCliTest {

    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static SparkSession spark;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        spark = SharedSpark.session();
        Configuration conf = new Configuration();
        conf.set("dfs.replication", "1");
        hdfs = new MiniDFSCluster.Builder(conf, dir.resolve("hdfs").toFile()).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @Test
    void fitReadsAndWritesHdfsAndMatchesALocalRun(@TempDir Path dir) throws Exception {
        File iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toFile();
        String root = hdfs.getURI() + "/mixspark";
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(iris.toURI()),
                new org.apache.hadoop.fs.Path(root + "/data/iris.csv"));

        String out = root + "/out/iris-k3";
        // What a killed run of the same output leaves: its owner record (this host, this process id
        // with another start time, so a process long gone) and its staging directory.
        String killed = root + "/out/.iris-k3." + java.util.UUID.randomUUID();
        try (var record = fs.create(new org.apache.hadoop.fs.Path(killed + ".owner"))) {
            record.write(("{\"host\": \"" + java.net.InetAddress.getLocalHost().getHostName() + "\", \"pid\": "
                    + ProcessHandle.current().pid() + ", \"processStart\": 0, \"started\": "
                    + (System.currentTimeMillis() - 60_000) + "}").getBytes(StandardCharsets.UTF_8));
        }
        fs.mkdirs(new org.apache.hadoop.fs.Path(killed + ".staging/predictions"));
        assertEquals(0, MixSparkCli.run("fit", "--input", root + "/data/iris.csv", "--k", "3", "--label-col",
                "species", "--seed", "4", "--output", out));
        for (String file : new String[] {"_SUCCESS", "model.json", "metrics.json", "predictions/_SUCCESS",
            "model/metadata"}) {
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out, file)), out + "/" + file + " is on HDFS");
        }
        assertEquals(150, spark.read().parquet(out + "/predictions").count());
        assertTrue(fs.listStatus(new org.apache.hadoop.fs.Path(root + "/out")).length == 1,
                "the staging directory was renamed into place, and the killed run's leftovers are gone");

        String local = dir.resolve("local").toString();
        assertEquals(0, MixSparkCli.run("fit", "--input", iris.toString(), "--k", "3", "--label-col", "species",
                "--seed", "4", "--output", local));
        ModelJson.Named onHdfs = ModelJson.parse(read(out + "/model.json"), "hdfs model.json");
        ModelJson.Named onDisk = ModelJson.parse(Files.readString(Path.of(local, "model.json")), "local model.json");
        assertEquals(onDisk.features(), onHdfs.features());
        double[] a = flatten(onDisk);
        double[] b = flatten(onHdfs);
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-9 * Math.max(1, Math.abs(a[i])), "parameter " + i);
        }

        // predict reads the model from HDFS as well.
        assertEquals(0, MixSparkCli.run("predict", "--model", out, "--input", root + "/data/iris.csv",
                "--label-col", "species", "--output", root + "/out/iris-pred"));
        assertEquals(150, spark.read().parquet(root + "/out/iris-pred/predictions").count());
    }

    private static String read(String path) throws Exception {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double[] flatten(ModelJson.Named model) {
        var m = model.mixture();
        java.util.List<Double> values = new java.util.ArrayList<>();
        for (int c = 0; c < m.k(); c++) {
            values.add(m.weight(c));
            for (double v : m.mean(c)) {
                values.add(v);
            }
            for (double v : m.covariance(c)) {
                values.add(v);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
