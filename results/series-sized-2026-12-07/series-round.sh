#!/usr/bin/env bash
# Round-robin over the cases: repeat i of every case before repeat i+1; skips what summary.tsv has.
cd /work/series3
OUT=results/series-sized-2026-12-07
mkdir -p "$OUT"
for i in $(seq 1 10); do
  for c in itl110 prefill120 aa itl103; do
    if [ -f "$OUT/summary.tsv" ] && awk -F'\t' -v c="$c" -v i="$i" '$2==c && $3==i {f=1} END {exit !f}' "$OUT/summary.tsv"; then continue; fi
    [ -f /work/series-stop ] && exit 0
    busy=0; [ "$c" = aa ] && busy=1
    # one comparison at a time holds the measurement lock, so pinned measurements never overlap it
    BUSY=$busy FROM=$i OUT=$OUT flock /work/wt/cpu0.lock benchmarks/series/gate-series.sh "$i" "" "$c"
  done
done
