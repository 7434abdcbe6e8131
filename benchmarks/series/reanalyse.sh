#!/usr/bin/env bash
# Re-analyses stored gate comparisons with the compare of this checkout (or of a given jar), so
# that a change of the compare's statistics can be judged on the series' own runs, without new
# load. For each <case>-<i>/ folder under the result folders given (as gate-series.sh writes them:
# base.run-1..N.json and latest.run-1..N.json), it runs `llmh compare` with the gate's default
# options and prints one TSV line:
#   folder  case  i  exit  gatedRegressions  gatedInconclusive  undecided
# exit is the compare's exit code (1 = a gated REGRESSION); gatedRegressions counts the gated
# REGRESSION rows; gatedInconclusive the gated metrics the gate could not decide (an INCONCLUSIVE
# whose interval straddles the worse threshold: the "could not be decided" of the headline);
# undecided lists them as "trial metric" pairs (trial without its package), separated by "; ".
# At the end, lines starting with "# " give a tally per case: the exit codes and the undecided
# gated metrics per comparison.
#
# Usage (from anywhere; results folders relative to the current directory):
#   benchmarks/series/reanalyse.sh RESULTS_DIR...
#   e.g. nice -n 10 benchmarks/series/reanalyse.sh results/series-2026-12-07 results/series-2026-12-06
#   Environment:
#     LLMH_JAR=jar  run the compare of this benchmarks jar (java -jar) instead of this checkout's
#                   classes, e.g. another checkout's benchmarks/target/benchmarks.jar, to tabulate
#                   two versions of the compare on the same runs
#     REBUILD=1     recompile this checkout's harness-runtime first (otherwise it is compiled only
#                   when harness-runtime/target/cp.txt or its classes are missing: stale classes
#                   give the old statistics)
#     JAVA          the java to use (default: java on the PATH)
# Needs python3 (to read the JSON reports). Exit code 2 on a usage error.
set -u
here=$(pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -eq 0 ]; then
  echo "reanalyse: give one or more result folders holding <case>-<i>/ comparisons, e.g. results/series-2026-12-07" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "reanalyse: python3 is needed to read the JSON reports" >&2; exit 2; }
JAVA=${JAVA:-java}
if [ -n "${LLMH_JAR:-}" ]; then
  [ -f "$LLMH_JAR" ] || { echo "reanalyse: no jar at LLMH_JAR=$LLMH_JAR" >&2; exit 2; }
  run_compare() { "$JAVA" -Xmx512m -XX:-UsePerfData -jar "$LLMH_JAR" compare "$@"; }
else
  if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$root/harness-runtime/target/cp.txt" ] \
      || [ ! -d "$root/harness-runtime/target/classes" ]; then
    (cd "$root" && ./mvnw -B -q -o -pl harness-runtime -am compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt) >&2 || exit 2
  fi
  CP="$root/harness-runtime/target/classes:$(cat "$root/harness-runtime/target/cp.txt")"
  run_compare() { "$JAVA" -Xmx512m -XX:-UsePerfData -cp "$CP" dev.llmharness.runtime.cli.Llmh compare "$@"; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tally="$work/tally.tsv"
: > "$tally"
printf 'folder\tcase\ti\texit\tgatedRegressions\tgatedInconclusive\tundecided\n'
for results in "$@"; do
  cd "$here" || exit 2
  if [ ! -d "$results" ]; then
    echo "reanalyse: no folder $results" >&2
    exit 2
  fi
  # <case>-<i> folders, by case and then by repeat number (aa-2 before aa-10)
  for name in $(find "$results" -mindepth 1 -maxdepth 1 -type d -name '*-[0-9]*' -printf '%f\n' | sort -V); do
    dir="${results%/}/$name"
    c=${name%-*}
    i=${name##*-}
    bases=$(ls "$dir"/base.run-*.json 2>/dev/null | sort -V)
    latest=$(ls "$dir"/latest.run-*.json 2>/dev/null | sort -V)
    if [ -z "$bases" ] || [ -z "$latest" ]; then
      echo "reanalyse: $dir has no base.run-*.json or latest.run-*.json: skipped" >&2
      continue
    fi
    # A comparison still being measured (its gate has not compared yet) is left for later.
    if [ "$(echo "$bases" | wc -l)" != "$(echo "$latest" | wc -l)" ] \
        || { [ -f "$dir/gate.log" ] && ! grep -q '^llmh compare:' "$dir/gate.log"; }; then
      echo "reanalyse: $dir is incomplete (a gate still running?): skipped" >&2
      continue
    fi
    json="$work/report.json"
    rm -f "$json"
    # shellcheck disable=SC2086 # the file lists are split on purpose (paths without spaces)
    run_compare --format json -o "$json" $bases -- $latest > "$work/out.txt" 2> "$work/err.txt"
    code=$?
    if [ ! -s "$json" ]; then
      printf '%s\t%s\t%s\t%s\t\t\t%s\n' "$dir" "$c" "$i" "$code" "no report: $(head -c 200 "$work/err.txt" | tr '\t\n' '  ')"
      printf '%s\t%s\tNA\n' "$c" "$code" >> "$tally"
      continue
    fi
    counts=$(python3 - "$json" <<'EOF'
import json, re, sys
r = json.load(open(sys.argv[1]))

def ruled_out(m):
    # MetricComparison.regressionRuledOut: an INCONCLUSIVE that only straddles the improvement side
    # has answered the question the gate asks.
    if m["verdict"] == "REGRESSION":
        return False
    if m["verdict"] != "INCONCLUSIVE":
        return True
    lo, hi, t = m.get("changeLow"), m.get("changeHigh"), m["threshold"]
    if lo is None or hi is None:
        return False
    lower_is_better = m["direction"].lower() == "lower_is_better"
    if m["changeKind"] == "difference" or lower_is_better:
        return hi <= t if lower_is_better else lo >= -t
    return lo + 1 >= 1 / (1 + t)

regressions = 0
undecided = []
for trial in r["trials"]:
    short = re.sub(r"^(?:[a-z_][a-z0-9_]*\.)+", "", trial["id"])  # without its package
    for m in trial["metrics"]:
        if not m["gated"]:
            continue
        if m["verdict"] == "REGRESSION":
            regressions += 1
        elif m["verdict"] == "INCONCLUSIVE" and not ruled_out(m):
            undecided.append(short + " " + m["metric"])
print("%d\t%d\t%s" % (regressions, len(undecided), "; ".join(undecided)))
EOF
)
    printf '%s\t%s\t%s\t%s\t%s\n' "$dir" "$c" "$i" "$code" "$counts"
    printf '%s\t%s\t%s\n' "$c" "$code" "$(printf '%s' "$counts" | cut -f2)" >> "$tally"
  done
done
# Tally per case: exit codes, and the undecided gated metrics of each comparison in order.
python3 - "$tally" <<'EOF'
import sys
from collections import OrderedDict, Counter
cases = OrderedDict()
for line in open(sys.argv[1]):
    c, code, undecided = line.rstrip("\n").split("\t")
    cases.setdefault(c, []).append((code, undecided))
for c, rows in cases.items():
    codes = Counter(code for code, _ in rows)
    exits = ", ".join("exit %s: %d" % (k, codes[k]) for k in sorted(codes))
    undecided = [u for _, u in rows]
    numbers = [int(u) for u in undecided if u != "NA"]
    span = "%d-%d" % (min(numbers), max(numbers)) if numbers else "n/a"
    print("# %s: %d comparisons, %s; undecided gated metrics per comparison %s (%s)"
          % (c, len(rows), exits, span, " ".join(undecided)))
EOF
