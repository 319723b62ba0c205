/**
 * The {@code mixspark} command line (picocli): one class per command, and the option mixins they
 * share ({@link io.mixspark.cli.InputOptions}, {@link io.mixspark.cli.MissingOptions},
 * {@link io.mixspark.cli.JobOptions}, {@link io.mixspark.cli.EmSettings},
 * {@link io.mixspark.cli.KernelOptions}, ...), so each option is declared once. Commands check
 * their options before Spark starts, call an estimator or an algorithm, and write their outputs
 * atomically through {@link io.mixspark.io.OutputDirectory}.
 */
package io.mixspark.cli;
