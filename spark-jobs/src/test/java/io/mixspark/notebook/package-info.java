/**
 * Runs the Zeppelin notebooks under {@code notebooks/} outside Zeppelin: {@link ZeppelinNote}
 * reads a {@code .zpln} file, {@link NotebookRunner} runs its paragraphs in order ({@code %spark}
 * in the Scala interpreter of {@link ScalaInterpreter}, {@code %sql} through {@code spark.sql}) on
 * the tests' local SparkSession, and {@code NotebookTest} does so for every notebook.
 */
package io.mixspark.notebook;
