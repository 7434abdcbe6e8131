#!/usr/bin/env bash
# Pinned selfbench before (ba70f14) and after (dd337e2) session 11's event-loop changes, alternated.
cd /work/main
OUT=results/selfbench-events-2026-12-07
for side in before after; do
  flock /work/wt/cpu0.lock sh -c "LLMH_JAR=/tmp/$side.jar taskset -c 0 bin/llmh selfbench --method peers --presets zero --rates 10,200,800,1600 --step 15s --transport event-loop --json $OUT/$side-zero.json" > $OUT/$side-zero.log 2>&1
done
