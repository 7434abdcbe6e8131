#!/usr/bin/env bash
cd /work/main
for r in 3 4; do
  for v in fix new; do
    flock /work/wt/cpu0.lock sh -c "LLMH_JAR=/tmp/ld-$v.jar taskset -c 0 bin/llmh selfbench --method peers --presets zero --rates 800,1600 --step 15s --transport event-loop --json /work/meas-s10/b$v$r-zero.json" > /work/meas-s10/b$v$r-zero.out 2>&1
  done
done
echo done > /work/meas-s10/DONE3
