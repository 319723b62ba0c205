/**
 * The HTML run report of {@code mixspark report}: charts drawn with JFreeChart on headless AWT,
 * embedded as PNG data URIs in one self-contained page, and the 2-D principal-component
 * projection of data, means and covariance ellipses. Plain Java: the command reads the files
 * with Spark and hands plain values here.
 */
package io.mixspark.report;
