package io.mixspark.cli;

import picocli.CommandLine.Option;

/** Where Kafka is, and the topic a stream reads: for the commands that read Kafka. */
public final class KafkaOptions {

    /** The word that, as {@code --input} or {@code --format}, names a Kafka topic as the source. */
    static final String KAFKA = "kafka";

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka brokers to bootstrap from (comma-separated), for --format kafka or --output-topic.")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "The Kafka topic to read with --format kafka; each record's value is a JSON object of"
                    + " feature name to number.")
    String topic;

    /** Whether the input options name Kafka: {@code --format kafka}, or {@code --input kafka} with no format. */
    static boolean namesKafka(InputOptions input) {
        if (input.format != null) {
            return input.format.trim().equalsIgnoreCase(KAFKA);
        }
        return input.input.trim().equalsIgnoreCase(KAFKA);
    }

    /**
     * Throws IllegalArgumentException unless a Kafka source has its broker and topic, and a file
     * source neither (a broker only for a Kafka sink, {@code kafkaSink}).
     */
    void validateSource(boolean kafka, boolean kafkaSink) {
        if (kafka) {
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new IllegalArgumentException("--format kafka needs --kafka-bootstrap HOST:PORT");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("--format kafka needs --topic, the topic to read");
            }
        } else if (topic != null) {
            throw new IllegalArgumentException("--topic names the topic of --format kafka; this input is files");
        } else if (bootstrap != null && !kafkaSink) {
            throw new IllegalArgumentException("--kafka-bootstrap names the brokers of a Kafka topic (--format kafka,"
                + " or predict's --output-topic); this input is files and there is no output topic");
        }
    }
}
