/**
 * Mixtures learnt from Structured Streaming: {@link io.mixspark.stream.StreamInput} creates the
 * streaming DataFrame, {@link io.mixspark.stream.OnlineEmSink} makes each micro-batch one
 * online-EM step ({@code io.mixspark.online}) and keeps the model and metrics current, exactly
 * once, and {@link io.mixspark.stream.StreamQuery} runs the query until its trigger ends it or
 * SIGTERM stops it. docs/STREAMING.md describes the command.
 * {@link io.mixspark.stream.KafkaRecords} reads Kafka records as rows and writes predictions as
 * records; {@link io.mixspark.stream.ModelWatcher} holds the model that {@code predict --stream}
 * scores with, read again when its model.json changes.
 */
package io.mixspark.stream;
