/**
 * Files on any Hadoop file system: reading and checking input tables
 * ({@link io.mixspark.io.InputTable}, {@link io.mixspark.io.InputValidation}), model.json
 * ({@link io.mixspark.io.ModelJson}), atomic job outputs ({@link io.mixspark.io.OutputDirectory})
 * and EM checkpoints ({@link io.mixspark.io.HadoopCheckpointStore}).
 */
package io.mixspark.io;
