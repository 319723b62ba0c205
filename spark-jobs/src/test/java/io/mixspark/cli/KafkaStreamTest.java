package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.gmm.Mixture;
import io.mixspark.kafka.KafkaBroker;
import io.mixspark.stream.StreamFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --stream} from a Kafka topic to a Kafka topic, and {@code stream} learning from a
 * topic, on a real broker (one for the class). A cluster test:
 * the broker is a JVM of its own, and this class starts (and stops) its own local Spark.
 */
@Tag("cluster")
class KafkaStreamTest {

    @TempDir
    static Path dir;
    private static KafkaBroker broker;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(Files.createDirectories(dir.resolve("broker")));
        spark = SparkSession.builder().master("local[2]").appName("kafka-predict-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
            SparkSession.clearDefaultSession();
            SparkSession.clearActiveSession();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Row i: near (0, 0) when i is even, near (10, 10) when odd, as a JSON record keyed k<i>. */
    static Map.Entry<String, String> row(int i) {
        double c = i % 2 == 0 ? 0.0 : 10.0;
        return Map.entry("k" + i, "{\"id\": \"r" + i + "\", \"x\": " + (c + 0.01 * i) + ", \"y\": " + (c - 0.02 * i)
                + "}");
    }

    @Test
    void scoresEachRecordToTheOutputTopicAndCountsBadOnes() throws Exception {
        broker.createTopic("rows", 2);
        broker.createTopic("predictions", 1);
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(row(i));
            if (i == 11) {
                records.add(Map.entry("bad", "{\"id\": \"rb\", \"x\": \"oops\", \"y\": 1}"));
            }
        }
        broker.produce("rows", records);
        Path model = Files.writeString(dir.resolve("model-a.json"), StreamingPredictTest.MODEL_A);
        Path out = dir.resolve("out-kafka");
        CapturedRun run = CapturedRun.of("predict", "--stream", "--model", model.toString(),
                "--input", "kafka", "--kafka-bootstrap", broker.bootstrap(), "--topic", "rows",
                "--output-topic", "predictions", "--id-col", "id", "--invalid", "skip",
                "--checkpoint-dir", dir.resolve("ck-kafka").toString(), "--trigger", "available-now",
                "--output", out.toString());
        assertEquals(0, run.code(), run.text());
        assertTrue(run.text().contains("skipped 1 bad Kafka record(s)"), run.text());

        List<ConsumerRecord<String, String>> predictions = broker.consume("predictions", 30, Duration.ofSeconds(60));
        assertEquals(30, predictions.size());
        Map<String, String> keyOfId = new HashMap<>();
        for (ConsumerRecord<String, String> r : predictions) {
            JsonNode value = JobOutputs.JSON.readTree(r.value());
            String id = value.path("id").asText();
            int i = Integer.parseInt(id.substring(1));
            assertEquals(i % 2 == 0 ? 0 : 1, value.path("cluster").asInt(), r.value());
            JsonNode p = value.path("probability");
            assertEquals(2, p.size(), r.value());
            assertEquals(1.0, p.get(0).asDouble() + p.get(1).asDouble(), 1e-9, r.value());
            keyOfId.put(id, r.key());
        }
        for (int i = 0; i < 30; i++) {
            assertEquals("k" + i, keyOfId.get("r" + i), "the prediction of r" + i + " keeps its record's key");
        }
        JsonNode metrics = JobOutputs.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(30, metrics.path("rows").asLong(), metrics.toString());
        assertEquals(1, metrics.path("badRecords").asLong(), metrics.toString());
    }

    @Test
    void aBadRecordStopsTheStreamNamingItsOffset() throws Exception {
        broker.createTopic("rows-bad", 1);
        broker.produce("rows-bad", List.of(row(0), Map.entry("k1", "1.5,2.5"), row(2)));
        Path model = Files.writeString(dir.resolve("model-bad.json"), StreamingPredictTest.MODEL_A);
        CapturedRun run = CapturedRun.of("predict", "--stream", "--model", model.toString(),
                "--input", "kafka", "--format", "kafka", "--kafka-bootstrap", broker.bootstrap(), "--topic", "rows-bad",
                "--checkpoint-dir", dir.resolve("ck-bad").toString(), "--trigger", "available-now",
                "--output", dir.resolve("out-bad").toString());
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("error: the Kafka record at rows-bad/0/1 (topic/partition/offset) is not a JSON"
                + " object with a finite number for every feature [x, y]: 1.5,2.5"), run.text());
    }

    /**
     * The same rows as four CSV files (one per batch) and as a topic of one partition (500 records
     * per batch): the two streams take the same batches in the same order and end with the same model.
     */
    @Test
    void aStreamFromKafkaLearnsTheModelThatTheSameRowsAsFilesGive() throws Exception {
        Path landing = dir.resolve("train-landing");
        StreamFiles.write(landing, StreamFiles.threeClusters(0), 0, 4, 500, 3);
        broker.createTopic("train", 1);
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<String> lines = Files.readAllLines(landing.resolve(String.format(Locale.ROOT, "part-%03d.csv", f)));
            String[] header = lines.get(0).split(",");
            for (String line : lines.subList(1, lines.size())) {
                // The numbers as the files spell them, so both sources parse the same text.
                String[] values = line.split(",");
                StringBuilder json = new StringBuilder("{");
                for (int a = 0; a < values.length; a++) {
                    json.append(a == 0 ? "" : ", ").append('"').append(header[a]).append("\": ").append(values[a]);
                }
                records.add(Map.entry("f" + f, json.append('}').toString()));
            }
        }
        broker.produce("train", records);

        Path fromFiles = dir.resolve("train-files");
        CapturedRun files = CapturedRun.of("stream", "--input", landing.toString(), "--format", "csv", "--k", "3",
                "--seed", "1", "--max-files-per-trigger", "1", "--checkpoint-dir", dir.resolve("ck-train-files").toString(),
                "--output", fromFiles.toString());
        assertEquals(0, files.code(), files.text());
        Path fromKafka = dir.resolve("train-kafka");
        CapturedRun kafka = CapturedRun.of("stream", "--input", "kafka", "--kafka-bootstrap", broker.bootstrap(),
                "--topic", "train", "--features", "x1,x2", "--k", "3", "--seed", "1",
                "--max-records-per-trigger", "500", "--checkpoint-dir", dir.resolve("ck-train-kafka").toString(),
                "--output", fromKafka.toString());
        assertEquals(0, kafka.code(), kafka.text());

        JsonNode batches = JobOutputs.JSON.readTree(fromKafka.resolve("metrics.json").toFile()).path("batches");
        assertEquals(4, batches.size(), batches.toString());
        batches.forEach(b -> assertEquals(500, b.path("rows").asLong(), b.toString()));
        Mixture expected = StreamFiles.model(fromFiles);
        Mixture actual = StreamFiles.model(fromKafka);
        assertEquals(expected.k(), actual.k());
        assertArrayEquals(expected.weights(), actual.weights(), 1e-9);
        for (int c = 0; c < expected.k(); c++) {
            assertArrayEquals(expected.mean(c), actual.mean(c), 1e-9, "mean " + c);
            assertArrayEquals(expected.covariance(c), actual.covariance(c), 1e-9, "covariance " + c);
        }
    }
}
