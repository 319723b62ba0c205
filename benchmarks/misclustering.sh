#!/usr/bin/env bash
# Misclustering of a predictions/ folder against its label column: benchmarks/misclustering.sh PREDICTIONS K
# Compiles Misclustering.java against the job jar and runs it with bin/mixspark's JVM flags.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: benchmarks/misclustering.sh PREDICTIONS K" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
"$root/bin/mixspark" --version >/dev/null   # builds the job jar on first use
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
target="$root/spark-jobs/target"
jar="$(ls "$target"/mixspark-[0-9]*.jar | head -n 1)"
javac -d "$classes" -cp "$jar:$(cat "$target/spark-classpath.txt")" "$here/Misclustering.java"
MIXSPARK_CLASSPATH="${MIXSPARK_CLASSPATH:+$MIXSPARK_CLASSPATH:}$classes" MIXSPARK_MAIN_CLASS=Misclustering \
  "$root/bin/mixspark" "$@" | grep '^rows'
