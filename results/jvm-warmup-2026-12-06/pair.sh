#!/bin/bash
# One locked pair: fresh JVMs, warm-up off then on (or reversed with REV=1), the -Pbench selection.
cd "$(dirname "$0")/../.."; export LLMH_JAR=${LLMH_JAR:-benchmarks/target/benchmarks.jar}
INC='OpenLoopBenchmarks\.poisson\{rate=40\}|ClosedLoopBenchmarks\.workers\{concurrency=8\}|DatasetBenchmarks\.dolly|CompletionsBenchmarks\.complete|SloBenchmarks\.chat'
modes="off auto"; [ "$REV" = 1 ] && modes="auto off"
for m in $modes; do
  echo "== $TAG $m start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  bin/llmh run --include "$INC" --output results/jvm-warmup-2026-12-06/$TAG-$m.json --jvm-warmup $m --progress 0s --no-report > results/jvm-warmup-2026-12-06/$TAG-$m.log 2>&1
  echo "== $TAG $m rc $? end $(date -u +%T)"
done
