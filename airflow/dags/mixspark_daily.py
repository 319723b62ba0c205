"""mixspark_daily: the day's table -> select k -> fit with the chosen k -> predict, on Spark.

Every Spark step is a SparkSubmitOperator running the MixSpark job jar; its arguments come from
``mixspark_tasks`` (plain Python, checked by the build with ``mixspark ... --dry-run``). The
``choose_model`` task reads the select step's selection.json and returns the chosen k and
covariance type, which the fit step pulls from XCom.

Needs the ``apache-airflow-providers-apache-spark`` package, ``spark-submit`` on the worker, and
a Spark connection (``spark_default`` unless MIXSPARK_SPARK_CONN says otherwise), for example
``AIRFLOW_CONN_SPARK_DEFAULT='{"conn_type": "spark", "host": "spark://spark-master", "port": 7077}'``.
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
PATHS = tasks.RunPaths(tasks.DATA_ROOT + "/{{ ds }}")
# Rendered when the fit task runs, from what choose_model returned.
CHOSEN_K = "{{ ti.xcom_pull(task_ids='choose_model')['k'] }}"
CHOSEN_COVARIANCE = "{{ ti.xcom_pull(task_ids='choose_model')['covariance'] }}"


def mixspark(task_id: str, application_args: list[str]) -> SparkSubmitOperator:
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id=SPARK_CONN,
        application=tasks.JOB_JAR,
        java_class=tasks.MAIN_CLASS,
        name=f"mixspark-{task_id}-{{{{ ds }}}}",
        conf=tasks.SPARK_CONF,
        application_args=application_args,
    )


with DAG(
    dag_id="mixspark_daily",
    description="MixSpark: select k, fit and score the day's table",
    schedule="@daily",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
    tags=["mixspark"],
) as dag:
    generate = mixspark("generate", tasks.generate_args(PATHS, seed="{{ ds_nodash }}"))
    select = mixspark("select", tasks.select_args(PATHS))

    @task(task_id="choose_model")
    def choose_model(selection_json: str) -> dict:
        """The k and covariance type that select chose, from its selection.json."""
        return tasks.chosen_model(tasks.read_text(selection_json))

    chosen = choose_model(PATHS.selection_json)
    fit = mixspark("fit", tasks.fit_args(PATHS, k=CHOSEN_K, covariance=CHOSEN_COVARIANCE))
    predict = mixspark("predict", tasks.predict_args(PATHS))

    generate >> select >> chosen >> fit >> predict
