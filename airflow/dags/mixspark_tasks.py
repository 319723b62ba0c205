"""The command lines of the ``mixspark_daily`` pipeline, as plain data.

This module imports nothing from Airflow, so the build can check it without Airflow installed:
``python3 mixspark_tasks.py args`` prints every task's ``application_args`` as JSON (with sample
values in place of the run's templates), and the Java test passes each list to
``mixspark ... --dry-run``. The DAG file ``mixspark_daily.py`` builds its SparkSubmitOperator
tasks from the same functions.

Paths are Hadoop URIs (``hdfs://...``, ``s3a://...``, ``file:///...``) that the Spark driver and
executors can reach. Every task writes with ``--overwrite``, so a retried or re-run day replaces
its own output.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass

LOG = logging.getLogger(__name__)

#: The entry point of the job jar.
MAIN_CLASS = "io.mixspark.cli.MixSparkCli"
#: The shaded job jar, as the Airflow worker's spark-submit sees it.
JOB_JAR = os.environ.get("MIXSPARK_JOB_JAR", "/opt/mixspark/mixspark-0.1.0-SNAPSHOT.jar")
#: Each day's files go under DATA_ROOT/<ds>/.
DATA_ROOT = os.environ.get("MIXSPARK_DATA_ROOT", "hdfs://namenode:8020/mixspark")
#: WebHDFS address used to read selection.json from hdfs:// (else the `hdfs` command is used).
WEBHDFS = os.environ.get("MIXSPARK_WEBHDFS", "http://namenode:9870")
#: Spark settings of every task (spark-submit --conf).
SPARK_CONF = {
    "spark.executor.memory": os.environ.get("MIXSPARK_EXECUTOR_MEMORY", "1g"),
    "spark.executor.cores": os.environ.get("MIXSPARK_EXECUTOR_CORES", "1"),
}


@dataclass(frozen=True)
class RunPaths:
    """Where one run keeps its files, under ``root``."""

    root: str

    @property
    def input(self) -> str:
        return f"{self.root}/input.parquet"

    @property
    def select(self) -> str:
        return f"{self.root}/select"

    @property
    def selection_json(self) -> str:
        return f"{self.select}/selection.json"

    @property
    def fit(self) -> str:
        return f"{self.root}/fit"

    @property
    def scored(self) -> str:
        return f"{self.root}/scored"

    def checkpoints(self, k: str, covariance: str) -> str:
        """The fit's checkpoints, one directory per chosen model."""
        return f"{self.root}/checkpoints/fit-k{k}-{covariance}"


def generate_args(paths: RunPaths, seed: str, rows: int = 200_000, d: int = 6, k: int = 4,
                  separation: float = 5.0) -> list[str]:
    """The day's input. Replace this task with your ingestion; later tasks read ``paths.input``."""
    return ["generate", "--n", str(rows), "--d", str(d), "--k", str(k), "--separation", str(separation),
            "--seed", seed, "--output", paths.input, "--overwrite"]


def select_args(paths: RunPaths, ks: str = "1..8", covariances: str = "full,diag,spherical,tied",
                criterion: str = "bic") -> list[str]:
    """Fits the grid of k and covariance types and writes selection.json.

    A grid cell that cannot be fitted (a singular covariance at a large k, say) does not stop the
    day: ``--allow-partial`` keeps the exit code 0, and ``chosen_model`` logs the failed cells that
    selection.json lists under ``failed``.
    """
    return ["select", "--input", paths.input, "--label-col", "label", "--k", ks, "--covariance", covariances,
            "--criterion", criterion, "--allow-partial", "--output", paths.select, "--overwrite"]


def fit_args(paths: RunPaths, k: str, covariance: str, n_init: int = 3, seed: int = 0) -> list[str]:
    """The final fit with the chosen k and covariance type, with restarts; a retry resumes from its checkpoint.

    A cleared day whose input changed refits afresh: its checkpoint no longer matches the data.
    """
    return ["fit", "--input", paths.input, "--label-col", "label", "--k", k, "--covariance", covariance,
            "--n-init", str(n_init), "--seed", str(seed),
            "--checkpoint-dir", paths.checkpoints(k, covariance), "--resume",
            "--resume-mismatch", "restart",
            "--output", paths.fit, "--overwrite"]


def predict_args(paths: RunPaths) -> list[str]:
    """Scores the day's table with the fitted model."""
    return ["predict", "--model", paths.fit, "--input", paths.input, "--label-col", "label",
            "--output", paths.scored, "--overwrite"]


def pipeline(root: str, seed: str, k: str, covariance: str) -> dict[str, list[str]]:
    """Every SparkSubmitOperator task's application_args, in run order, by task id."""
    paths = RunPaths(root)
    return {
        "generate": generate_args(paths, seed),
        "select": select_args(paths),
        "fit": fit_args(paths, k, covariance),
        "predict": predict_args(paths),
    }


@dataclass(frozen=True)
class StreamPaths:
    """Where the streaming pipeline's files live, under ``root``: new files land in ``landing``."""

    root: str

    @property
    def landing(self) -> str:
        return f"{self.root}/landing"

    @property
    def checkpoint(self) -> str:
        return f"{self.root}/stream-checkpoint"

    @property
    def output(self) -> str:
        return f"{self.root}/stream"

    @property
    def metrics_json(self) -> str:
        return f"{self.output}/metrics.json"


def stream_args(paths: StreamPaths, k: int = 4, max_k: int = 8, decay: float = 0.2,
                file_format: str = "csv") -> list[str]:
    """Learns from the files that landed since the last run, one online-EM step per file, then exits.

    ``available-now`` makes a scheduled run process what is there and stop; the checkpoint carries the
    model from run to run, and a retried run neither skips nor repeats a file (docs/STREAMING.md).
    """
    return ["stream", "--input", paths.landing, "--format", file_format, "--k", str(k), "--max-k", str(max_k),
            "--decay", str(decay), "--checkpoint-dir", paths.checkpoint, "--output", paths.output,
            "--trigger", "available-now", "--max-files-per-trigger", "1"]


def stream_pipeline(root: str) -> dict[str, list[str]]:
    """The streaming DAG's SparkSubmitOperator application_args, by task id."""
    return {"stream": stream_args(StreamPaths(root))}


def stream_summary(metrics_json: str) -> dict:
    """The state of a stream after a run, from its metrics.json: batches, rows, k and the last batch's score.

    Each batch's mean log-likelihood (of its rows under the model before they were learnt) is logged, so
    the task log shows how well the model kept up.
    """
    metrics = json.loads(metrics_json)
    batches = metrics["batches"]
    for b in batches:
        LOG.info("batch %s: %s rows, mean log-likelihood %s, k = %s", b["batchId"], b["rows"],
                 b["meanLogLikelihood"], b["k"])
    last = batches[-1] if batches else {}
    return {"batches": len(batches), "rows": int(metrics["rows"]), "k": int(metrics["k"]),
            "lastMeanLogLikelihood": last.get("meanLogLikelihood")}


def chosen_model(selection_json: str) -> dict:
    """The ``chosen`` entry of a selection.json text, as {"k": int, "covariance": str}.

    Grid cells that could not be fitted are logged as warnings: the choice was made without them.
    """
    selection = json.loads(selection_json)
    for failed in selection.get("failed", []):
        LOG.warning("select could not fit k=%s %s: %s", failed["k"], failed["covarianceType"], failed["reason"])
    chosen = selection["chosen"]
    return {"k": int(chosen["k"]), "covariance": str(chosen["covarianceType"])}


def read_text(uri: str) -> str:
    """A small text file: a local path or ``file:`` URI; ``hdfs://`` through WebHDFS or the ``hdfs`` command."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme in ("", "file"):
        with open(urllib.parse.unquote(parsed.path), encoding="utf-8") as f:
            return f.read()
    if parsed.scheme == "hdfs" and WEBHDFS:
        url = f"{WEBHDFS.rstrip('/')}/webhdfs/v1{urllib.parse.quote(parsed.path)}?op=OPEN"
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    return subprocess.run(["hdfs", "dfs", "-cat", uri], check=True, capture_output=True, text=True).stdout


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    args = commands.add_parser("args", help="print every task's application_args as JSON")
    args.add_argument("--root", default="file:///tmp/mixspark/2025-01-01")
    args.add_argument("--seed", default="20250101", help="stands for {{ ds_nodash }}")
    args.add_argument("--k", default="3", help="stands for the chosen k")
    args.add_argument("--covariance", default="full", help="stands for the chosen covariance type")
    chosen = commands.add_parser("chosen", help="print the chosen model of a selection.json as JSON")
    chosen.add_argument("selection_json")
    streaming = commands.add_parser("stream-args", help="print the streaming DAG's application_args as JSON")
    streaming.add_argument("--root", default="file:///tmp/mixspark")
    summary = commands.add_parser("stream-summary", help="print a stream's metrics.json summary as JSON")
    summary.add_argument("metrics_json")
    options = parser.parse_args(argv)
    if options.command == "args":
        print(json.dumps(pipeline(options.root, options.seed, options.k, options.covariance), indent=2))
    elif options.command == "stream-args":
        print(json.dumps(stream_pipeline(options.root), indent=2))
    elif options.command == "stream-summary":
        print(json.dumps(stream_summary(read_text(options.metrics_json))))
    else:
        print(json.dumps(chosen_model(read_text(options.selection_json))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
