/**
 * Structured Streaming glue: Kafka records as rows and predictions as records
 * ({@link io.mixspark.stream.KafkaRecords}), and the model a stream is scored with, read again when
 * its model.json changes ({@link io.mixspark.stream.ModelWatcher}).
 */
package io.mixspark.stream;
