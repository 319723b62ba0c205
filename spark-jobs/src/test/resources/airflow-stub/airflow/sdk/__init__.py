"""A stand-in for the few Airflow names the MixSpark DAG files use, so a test can execute the DAG file
without Airflow: it records the tasks, their arguments and the edges between them."""

TASKS = {}
EDGES = []


class Node:
    def __init__(self, task_id):
        if task_id in TASKS:
            raise ValueError(f"duplicate task id {task_id}")
        self.task_id = task_id
        TASKS[task_id] = self

    def __rshift__(self, other):
        EDGES.append([self.task_id, other.task_id])
        return other


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def task(task_id=None, **kwargs):
    def decorate(function):
        def call(*args, **call_kwargs):
            node = Node(task_id or function.__name__)
            node.function = function
            node.args = args
            return node
        return call
    return decorate
