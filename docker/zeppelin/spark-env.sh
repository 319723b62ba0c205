# Sourced by Spark's launch scripts (spark-submit, spark-class) before they choose the java
# binary: Spark 4 runs on Java 17, whatever JAVA_HOME the Zeppelin server itself uses.
export JAVA_HOME=/opt/java/openjdk17
