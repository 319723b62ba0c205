"""Imports mixspark_daily.py against the Airflow stand-in and prints its tasks as JSON.

Usage: probe_dag.py DAGS_DIR SELECTION_JSON. choose_model's body runs on SELECTION_JSON."""

import json
import os
import sys

sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), sys.argv[1]]
import airflow.sdk as stub  # noqa: E402
import mixspark_daily  # noqa: E402,F401

out = {"dag_id": mixspark_daily.dag.dag_id, "edges": stub.EDGES, "tasks": {}}
for task_id, node in stub.TASKS.items():
    if hasattr(node, "kwargs"):
        out["tasks"][task_id] = {"application_args": node.kwargs["application_args"],
                                 "java_class": node.kwargs["java_class"],
                                 "application": node.kwargs["application"]}
    else:
        out["tasks"][task_id] = {"op_args": list(node.args), "returns": node.function(sys.argv[2])}
print(json.dumps(out))
