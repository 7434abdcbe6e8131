#!/usr/bin/env bash
# fix (sendDue per body run) against new (once per read), ITL 0, then the fixed ITL; alternated.
cd /work/main
for r in 1 2; do
  for v in fix new; do
    uptime > /work/meas-s10/b$v$r-load.txt
    flock /work/wt/cpu0.lock sh -c "LLMH_JAR=/tmp/ld-$v.jar taskset -c 0 bin/llmh selfbench --method peers --presets zero --rates 10,200,800,1600 --step 15s --transport event-loop --json /work/meas-s10/b$v$r-zero.json" > /work/meas-s10/b$v$r-zero.out 2>&1
    uptime >> /work/meas-s10/b$v$r-load.txt
  done
done
for v in fix; do
  flock /work/wt/cpu0.lock sh -c "LLMH_JAR=/tmp/ld-$v.jar taskset -c 0 bin/llmh selfbench --method peers --presets fixed-itl --rates 50,200 --step 15s --transport event-loop --json /work/meas-s10/b${v}1-itl.json" > /work/meas-s10/b${v}1-itl.out 2>&1
done
echo done > /work/meas-s10/DONE2
