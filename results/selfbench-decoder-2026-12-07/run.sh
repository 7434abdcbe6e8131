#!/usr/bin/env bash
# Alternating pairs: old (67a6235, Netty's HTTP codec) and new (4c2aab8, our HTTP/1.1 decoder), event loop, pinned.
cd /work/main
for r in 1 2; do
  for v in old new; do
    uptime > /work/meas-s10/$v$r-load.txt
    flock /work/wt/cpu0.lock sh -c "LLMH_JAR=/tmp/ld-$v.jar taskset -c 0 bin/llmh selfbench --method peers --presets zero --rates 10,200,800,1600 --step 15s --transport event-loop --json /work/meas-s10/$v$r-zero.json" > /work/meas-s10/$v$r-zero.out 2>&1
    flock /work/wt/cpu0.lock sh -c "LLMH_JAR=/tmp/ld-$v.jar taskset -c 0 bin/llmh selfbench --method peers --presets fixed-itl --rates 50,200 --step 15s --transport event-loop --json /work/meas-s10/$v$r-itl.json" > /work/meas-s10/$v$r-itl.out 2>&1
    uptime >> /work/meas-s10/$v$r-load.txt
  done
done
echo done > /work/meas-s10/DONE
