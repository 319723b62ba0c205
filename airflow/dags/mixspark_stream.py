"""mixspark_stream: every hour, learn from the files that landed, then report how the model scored them.

The ``stream`` task runs ``mixspark stream --trigger available-now``: a Structured Streaming query
that takes the new files in the landing directory, one online-EM step per file, writes model.json and
metrics.json, and exits. Its checkpoint carries the model from one run to the next, exactly once: a
retried run neither skips nor repeats a file. ``stream_summary`` reads metrics.json and logs each
batch's mean log-likelihood before its update (how well the model explained the new rows).

Needs what ``mixspark_daily`` needs: ``apache-airflow-providers-apache-spark``, ``spark-submit`` on the
worker and a Spark connection.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import mixspark_tasks as tasks
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

try:  # Airflow 3
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2.4+
    from airflow import DAG
    from airflow.decorators import task

SPARK_CONN = os.environ.get("MIXSPARK_SPARK_CONN", "spark_default")
PATHS = tasks.StreamPaths(tasks.DATA_ROOT)

with DAG(
    dag_id="mixspark_stream",
    description="MixSpark: online EM over the files that landed since the last run",
    schedule="@hourly",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    # One query per checkpoint at a time.
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["mixspark", "streaming"],
) as dag:
    stream = SparkSubmitOperator(
        task_id="stream",
        conn_id=SPARK_CONN,
        application=tasks.JOB_JAR,
        java_class=tasks.MAIN_CLASS,
        name="mixspark-stream-{{ ts_nodash }}",
        conf=tasks.SPARK_CONF,
        application_args=tasks.stream_pipeline(tasks.DATA_ROOT)["stream"],
    )

    @task(task_id="stream_summary")
    def summary(metrics_json: str) -> dict:
        """Batches, rows, k and the last batch's mean log-likelihood, from the stream's metrics.json."""
        return tasks.stream_summary(tasks.read_text(metrics_json))

    stream >> summary(PATHS.metrics_json)
