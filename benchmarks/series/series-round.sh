#!/usr/bin/env bash
# Runs the acceptance series (gate-series.sh) round the cases, one comparison per hold of the
# measurement lock: repeat i of every case before repeat i+1, so that a series stopped after any
# spell has every case at about the same count. Skips what OUT/summary.tsv already has, so it
# resumes; stops before the next comparison when the stop file exists. The A/A case keeps one core
# busy on its even repeats (gate-series.sh's BUSY). Until now each series folder kept its own copy.
#
# Usage: benchmarks/series/series-round.sh CLONE OUT [CASES...]
#   CLONE  a checkout of the commit to measure, its benchmarks built (e.g. the clone CI built)
#   OUT    the results folder (absolute, or relative to CLONE)
#   CASES  default: aa itl103 itl110 prefill120
#   Environment: LOCK (default /work/wt/cpu0.lock), STOP (default /work/series-stop), REPEATS (10)
set -u
[ $# -ge 2 ] || { echo "series-round: give the checkout to measure and the results folder" >&2; exit 2; }
cd "$1" || exit 2
OUT=$2
shift 2
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=(aa itl103 itl110 prefill120)
LOCK=${LOCK:-/work/wt/cpu0.lock}
STOP=${STOP:-/work/series-stop}
mkdir -p "$OUT"
for i in $(seq 1 "${REPEATS:-10}"); do
  for c in "${CASES[@]}"; do
    if [ -f "$OUT/summary.tsv" ] && awk -F'\t' -v c="$c" -v i="$i" '$2==c && $3==i {f=1} END {exit !f}' "$OUT/summary.tsv"; then continue; fi
    [ -f "$STOP" ] && exit 0
    busy=0; [ "$c" = aa ] && busy=1
    BUSY=$busy FROM=$i OUT=$OUT flock "$LOCK" benchmarks/series/gate-series.sh "$i" "" "$c"
  done
done
