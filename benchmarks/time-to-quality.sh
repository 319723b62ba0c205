#!/usr/bin/env bash
# Time to quality of mini-batch EM against batch EM on generated rows (docs/PERFORMANCE.md,
# "Mini-batch EM: time to quality"). Options are io.mixspark.spark.TimeToQuality's; the defaults
# are the documented run: --n 10000000 --d 16 --k 16 --batch-rows 100000 --passes 3.
#   MIXSPARK_JAVA_OPTS=-Xmx16g benchmarks/time-to-quality.sh
#   benchmarks/time-to-quality.sh --n 100000 --help
# Builds the job jar (mvn package, offline) when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! ls "$root"/spark-jobs/target/mixspark-[0-9]*.jar >/dev/null 2>&1 \
    || [[ ! -f "$root/spark-jobs/target/spark-classpath.txt" ]]; then
  echo "time-to-quality: building the job jar..." >&2
  (cd "$root" && mvn -B -q -o -DskipTests -pl spark-jobs -am package) >&2
fi
MIXSPARK_MAIN_CLASS=io.mixspark.spark.TimeToQuality exec "$root/bin/mixspark" "$@"
