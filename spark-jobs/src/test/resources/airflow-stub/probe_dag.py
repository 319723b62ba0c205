"""Imports a DAG file against the Airflow stand-in and prints its tasks as JSON.

Usage: probe_dag.py DAGS_DIR ARGUMENT [MODULE]. MODULE is the DAG file's module (default
mixspark_daily); each Python task's body runs on ARGUMENT (a selection.json, a metrics.json)."""

import importlib
import json
import os
import sys

sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), sys.argv[1]]
import airflow.sdk as stub  # noqa: E402

module = importlib.import_module(sys.argv[3] if len(sys.argv) > 3 else "mixspark_daily")

out = {"dag_id": module.dag.dag_id, "edges": stub.EDGES, "tasks": {}}
for task_id, node in stub.TASKS.items():
    if hasattr(node, "kwargs"):
        out["tasks"][task_id] = {"application_args": node.kwargs["application_args"],
                                 "java_class": node.kwargs["java_class"],
                                 "application": node.kwargs["application"]}
    else:
        out["tasks"][task_id] = {"op_args": list(node.args), "returns": node.function(sys.argv[2])}
print(json.dumps(out))
