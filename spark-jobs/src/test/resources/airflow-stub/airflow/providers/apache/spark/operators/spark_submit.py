"""Stand-in for Airflow's SparkSubmitOperator: records its arguments."""

from airflow.sdk import Node


class SparkSubmitOperator(Node):
    def __init__(self, task_id, **kwargs):
        super().__init__(task_id)
        self.kwargs = kwargs
