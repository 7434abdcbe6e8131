#!/usr/bin/env bash
# The gate's acceptance series (issue 11): how often the default gate calls a REGRESSION when
# nothing changed (A/A), when every token is 10 % slower, when prefill is 20 % slower, and when
# tokens are 3 % slower. Each comparison is one `llmh gate` with the bench profile's default
# selection and runs a side (llmh.include and llmh.forks, read from benchmarks/pom.xml), the base
# side produced in the same invocation against the default simulator and interleaved with the
# contender's runs (base 1, contender 1, base 2, ...). Raw results stay under results/series/.
#
# Usage (from the repository root; the script compiles the benchmarks and writes
# benchmarks/target/cp.txt itself when it is missing):
#   benchmarks/series/gate-series.sh [REPEATS] [FORKS] [CASES...]
#     REPEATS  comparisons per case (default 10)
#     FORKS    runs per side in each comparison (default: the bench profile's llmh.forks, 3)
#     CASES    any of aa itl110 prefill120 itl103 (default: all four)
#   Environment:
#     BUSY=1            keeps one core busy (a spinning shell loop) during every other comparison
#     DURATION_SCALE=x  multiplies every warmup and window (llmh.durationScale; default 1). Below 1
#                       only for a smoke test of the script: the verdicts then mean nothing
#     INCLUDE=regex     the trials (default: the bench profile's llmh.include)
#     OUT=dir           where the results go (default results/series)
#     FROM=i            the first repeat to run (default 1): with REPEATS=i it runs repeat i alone, so
#                       that a series can go round the cases (aa 1, itl110 1, ..., aa 2, ...) and be
#                       resumed in a later spell of quiet machine time
# Time: one run of the default selection is about 95 s (docs/ci.md), so a comparison of 3 runs a
# side (6 runs) about 9.5 min, and the full series (4 cases x 10) about 6.3 hours of load.
# Output: OUT/<case>-<i>/ (base.run-<i>.json, latest.run-<i>.json, comparison.md, gate.log) and one
# line per comparison appended to OUT/summary.tsv: time, case, i, busy, exit code, headline.
set -u
cd "$(dirname "$0")/../.."
# The bench profile's setting, e.g. <llmh.forks>3</llmh.forks>, so that the series measures the
# gate users get by default.
profile() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" benchmarks/pom.xml | head -n 1; }
PROFILE_FORKS=$(profile llmh.forks)
REPEATS=${1:-10}
FORKS=${2:-${PROFILE_FORKS:-1}}
shift $(( $# > 2 ? 2 : $# ))
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=(aa itl110 prefill120 itl103)
INCLUDE=${INCLUDE:-$(profile llmh.include)}
DURATION_SCALE=${DURATION_SCALE:-1}
FROM=${FROM:-1}
OUT=${OUT:-results/series}
if [ -z "$INCLUDE" ]; then
  echo "gate-series: no <llmh.include> in benchmarks/pom.xml's bench profile; set INCLUDE" >&2
  exit 2
fi
for c in "${CASES[@]}"; do
  case "$c" in
    aa|itl110|prefill120|itl103) ;;
    *) echo "gate-series: unknown case '$c': use aa, itl110, prefill120 or itl103" >&2; exit 2 ;;
  esac
done
if [ ! -f benchmarks/target/cp.txt ] || [ ! -d benchmarks/target/classes ]; then
  ./mvnw -B -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    || exit 2
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/cp.txt)"
mkdir -p "$OUT"
contender_sim() {
  case "$1" in
    aa) echo "" ;;
    itl110) echo "--itl-scale 1.1" ;;
    itl103) echo "--itl-scale 1.03" ;;
    prefill120) echo "--prefill-per-token 72us" ;;   # the default preset's 60us per prompt token, +20 %
  esac
}
for c in "${CASES[@]}"; do
  for i in $(seq "$FROM" "$REPEATS"); do
    dir="$OUT/$c-$i"
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
      -Dllmh.durationScale="$DURATION_SCALE" \
      dev.llmharness.runtime.cli.Llmh gate --results "$dir" --forks "$FORKS" --base-sim default \
      > "$dir/gate.log" 2>&1
    code=$?
    [ -n "$spinner" ] && kill "$spinner" 2>/dev/null && wait "$spinner" 2>/dev/null
    headline=$(grep -m1 '^llmh compare:' "$dir/gate.log" | cut -c15-)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$c" "$i" "$busy" "$code" "$headline" \
      >> "$OUT/summary.tsv"
  done
done
