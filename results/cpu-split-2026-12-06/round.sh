#!/bin/bash
# One locked round of the cpu-split measurement: OpenLoopBenchmarks.poisson{rate=40} (the -Pbench
# trial that was harness-limited), a fresh `llmh run` with its embedded simulator each time, the
# options in an order rotated by the round number. Each option is applied from outside, the moment
# the run says it started the simulator (before its JVM warm-up and its first trial), as a run that
# places them itself does:
#   same   both unpinned, equal priority (what -Pbench did until now)
#   nice   every thread of the simulator at nice 10
#   split  every thread of the harness on CPU 0, every thread of the simulator on CPU 1
#   splitnice  split, and the simulator at nice 10
#   samejit, splitjit  same or split, with the harness's compiler threads at normal priority
#          (--jit-priority normal): whether idle-priority builds starve its JIT
# Usage: flock /work/wt/cpu0.lock results/cpu-split-2026-12-06/round.sh ROUND [OPTION...]
cd "$(dirname "$0")/../.."
OUT=results/cpu-split-2026-12-06
JAR=${LLMH_JAR:-benchmarks/target/benchmarks.jar}
round=$1; shift
opts=("$@"); [ ${#opts[@]} -eq 0 ] && opts=(same nice split)
n=${#opts[@]}
for k in $(seq 0 $((n - 1))); do
  o=${opts[$(( (k + round) % n ))]}
  log=$OUT/$o-$round.log
  extra=(); case $o in *jit) extra=(--jit-priority normal) ;; esac
  echo "== $o $round start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:-UsePerfData -jar "$JAR" run \
      --include 'OpenLoopBenchmarks\.poisson\{rate=40\}' --output $OUT/$o-$round.json \
      --progress 0s --no-report "${extra[@]}" > "$log" 2>&1 &
  hpid=$!
  for _ in $(seq 1 1200); do grep -q 'started the embedded simulator' "$log" && break; sleep 0.05; done
  spid=$(pgrep -P $hpid java | head -n 1)
  case $o in
    nice|splitnice) for t in /proc/$spid/task/*; do renice -n 10 -p "${t##*/}" > /dev/null; done ;;
  esac
  case $o in
    split|splitnice|splitjit) taskset -a -p -c 0 $hpid > /dev/null; taskset -a -p -c 1 $spid > /dev/null ;;
  esac
  echo "   harness $hpid $(grep Cpus_allowed_list /proc/$hpid/status | tr -d '\t'), simulator $spid" \
       "$(grep Cpus_allowed_list /proc/$spid/status | tr -d '\t') nice $(ps -o ni= -p $spid)"
  wait $hpid
  rc=$?
  late=$(python3 -c "import json,sys;t=json.load(open(sys.argv[1]))['trials'][0]['harnessLimit'];print(t['lateRequests'],t['measuredRequests'],t['allowedLate'],t['limited'])" $OUT/$o-$round.json 2>/dev/null)
  echo "== $o $round rc $rc end $(date -u +%T) late/measured/allowed/limited $late"
  printf '%s\t%s\t%s\t%s\t%s\n' "$o" "$round" "$(date -u +%T)" "$(cut -d' ' -f1 /proc/loadavg)" "$late" >> $OUT/summary.tsv
done
