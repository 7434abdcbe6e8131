def log = new File(basedir, 'build.log').text
assert log.contains('llmh:gate failed with exit code 1: an SLO objective failed')
assert log =~ /\[ERROR\]\s+bench:\s+it\.bench\.TinyBenchmarks\.chat\{rate=10\}: ttft p99 <= 1ms \(actual [0-9.]+ (ms|s)[;)]/
assert new File(basedir, 'results/latest.json').isFile()
return true
