def log = new File(basedir, 'build.log').text
assert log.contains('bench: promoted')
assert log.contains('llmh:gate failed with exit code 1')
assert log =~ /\[ERROR\]\s+llmh compare:\s+it\.bench\.TinyBenchmarks\.chat\{rate=10\} (tpot|itl)\.p50 \+[0-9.]+ % worse .* REGRESSION/
assert new File(basedir, 'results/comparison.md').text.contains('REGRESSION')
return true
