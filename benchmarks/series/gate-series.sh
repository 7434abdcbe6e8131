#!/usr/bin/env bash
# The gate's acceptance series (issue 11): how often the default gate calls a REGRESSION when
# nothing changed (A/A), when every token is 10 % slower, when prefill is 20 % slower, and when
# tokens are 3 % slower. Each comparison is one `llmh gate` with the default bench selection, the
# base side produced in the same invocation against the default simulator and interleaved with the
# contender's runs (base 1, contender 1, base 2, ...). Raw results stay under results/series/.
#
# Usage (from the repository root, after `./mvnw -B -q install -DskipTests` or a reactor build
# that left benchmarks/target/classes and benchmarks/target/cp.txt):
#   benchmarks/series/gate-series.sh [REPEATS] [FORKS] [CASES...]
#     REPEATS  comparisons per case (default 10)
#     FORKS    runs per side in each comparison (default: the gate's default, 1)
#     CASES    any of aa itl110 prefill120 itl103 (default: all four)
#   BUSY=1 keeps one core busy (a spinning shell loop) during every other comparison.
# Output: results/series/<case>-<i>/ (base*.json, latest*.json, comparison.md, gate.log) and one
# line per comparison appended to results/series/summary.tsv: case, i, busy, exit code, headline.
set -u
cd "$(dirname "$0")/../.."
REPEATS=${1:-10}
FORKS=${2:-1}
shift $(( $# > 2 ? 2 : $# ))
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=(aa itl110 prefill120 itl103)
INCLUDE='OpenLoopBenchmarks\.poisson\{rate=40\}|ClosedLoopBenchmarks\.workers\{concurrency=8\}|DatasetBenchmarks\.dolly|CompletionsBenchmarks\.complete|SloBenchmarks\.chat'
if [ ! -f benchmarks/target/cp.txt ]; then
  (cd benchmarks && ../mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt) || exit 2
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/cp.txt)"
mkdir -p results/series
contender_sim() {
  case "$1" in
    aa) echo "" ;;
    itl110) echo "--itl-scale 1.1" ;;
    itl103) echo "--itl-scale 1.03" ;;
    prefill120) echo "--prefill-per-token 72us" ;;   # the default preset's 60us per prompt token, +20 %
  esac
}
for c in "${CASES[@]}"; do
  for i in $(seq 1 "$REPEATS"); do
    dir="results/series/$c-$i"
    rm -rf "$dir" && mkdir -p "$dir"
    busy=0
    spinner=""
    if [ "${BUSY:-0}" = 1 ] && [ $((i % 2)) = 0 ]; then
      busy=1
      ( while :; do :; done ) &
      spinner=$!
    fi
    java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$CP" \
      -Dllmh.include="$INCLUDE" -Dllmh.sim="$(contender_sim "$c")" -Dllmh.progress=0s \
      dev.llmharness.runtime.cli.Llmh gate --results "$dir" --forks "$FORKS" --base-sim default \
      > "$dir/gate.log" 2>&1
    code=$?
    [ -n "$spinner" ] && kill "$spinner" 2>/dev/null && wait "$spinner" 2>/dev/null
    headline=$(grep -m1 '^llmh compare:' "$dir/gate.log" | cut -c15-)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$c" "$i" "$busy" "$code" "$headline" \
      >> results/series/summary.tsv
  done
done
