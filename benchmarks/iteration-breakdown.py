#!/usr/bin/env python3
"""Where a folded EM iteration's time goes, from a wall-clock profile's collapsed stacks.

    benchmarks/profile-iteration.sh --event wall --n 100000 --d 64 --k 8 --iterations 20 \
        --output /tmp/d64.collapsed
    python3 benchmarks/iteration-breakdown.py /tmp/d64.collapsed 21

The second argument is the number of passes the EM loop ran (iterations + 1 for the final
E-step). Prints a Markdown table: ms per pass for the calling thread (stacks under EmFitter.run)
and for the fold's worker thread that ran most of the E-steps (docs/PERFORMANCE.md, "Where an
iteration's time goes"). With 1 ms samples, each sample is a millisecond of that thread's wall
clock, waits included.
"""
import collections
import re
import sys

# (row label, substrings of the stack, any of which puts a sample in the row); the first match wins.
ROWS = [
    ("moving the cache into the driver (iteration 2 only)", ["foldLocally"]),
    ("waiting for the other thread to finish its partition", ["FutureTask.get"]),
    ("stopped at a safepoint (a GC or another pause of every thread)", ["SafepointSynchronize"]),
    ("the search of each block for NaN (MissingValues.hasMissing)", ["hasMissing"]),
    ("native, per slice of rows: scratch allocated and zeroed", ["scratch_alloc"]),
    ("native, per slice of rows: precision factors converted (load_factors)", ["load_factors"]),
    ("kernel: rows copied into the chunk layouts (load_chunk)", ["load_chunk"]),
    ("kernel: log densities (log_joint_chunk)", ["log_joint_chunk"]),
    ("kernel: responsibilities and scatter (the rest of expectation)", ["expectationavx", "expectationscalar"]),
    ("Java wrapper and JNI (the model laid out as flat arrays, pins)",
     ["Packed", "NativeKernels.expectation", "expectationKernel", "LikelihoodKernel.expectation"]),
    ("the copy of the pass per partition (serialise, deserialise)", ["serialize", "Serialize"]),
    ("merge of the partitions' statistics", ["merge"]),
    ("M-step", ["MStep", "Mixture.<init>"]),
    ("progress line", ["FitListener"]),
    ("other", [""]),
]


def frames(stack):
    return [re.sub(r"_\[.\]$", "", f).split("/")[-1] for f in stack.split(";")]


def row_of(stack):
    for i, (_, patterns) in enumerate(ROWS):
        if any(p in stack for p in patterns):
            return i
    return len(ROWS) - 1


def main(path, passes):
    samples = []
    with open(path) as f:
        for line in f:
            stack, n = line.rstrip("\n").rsplit(" ", 1)
            samples.append((frames(stack), int(n)))
    e_steps = collections.Counter()
    for fr, n in samples:
        if fr[0].startswith("[mixspark-local-fold") and any("ExpectationPass" in f for f in fr):
            e_steps[fr[0]] += n
    worker = e_steps.most_common(1)[0][0] if e_steps else None
    counts = {"calling": collections.Counter(), "worker": collections.Counter()}
    for fr, n in samples:
        stack = ";".join(fr)
        if fr[0].startswith("[main") and any(f.startswith("EmFitter.run") for f in fr):
            counts["calling"][row_of(stack)] += n
        elif fr[0] == worker and ("ExpectationPass" in stack or "LocalBlockFold" in stack):
            counts["worker"][row_of(stack)] += n
    print("| where | calling thread, ms per pass | worker thread, ms per pass |")
    print("|---|---:|---:|")
    for i, (label, _) in enumerate(ROWS):
        calling, work = counts["calling"][i] / passes, counts["worker"][i] / passes
        if calling + work >= 0.05:
            print(f"| {label} | {calling:.1f} | {work:.1f} |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: iteration-breakdown.py PROFILE.collapsed PASSES")
    main(sys.argv[1], float(sys.argv[2]))
